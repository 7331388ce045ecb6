package dev.berth.web.account;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.account.ApiToken;
import dev.berth.account.ApiTokenService;
import dev.berth.audit.AuditLog;
import dev.berth.auth.BerthPrincipal;
import dev.berth.web.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** {@code /api/tokens}: one's own personal API tokens (the secret is answered once, at creation). */
@Path("/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Authenticated
public class TokenResource {

    public record NewToken(String name, Integer expiresInDays) {
    }

    public record TokenView(long id, String name, String prefix, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, boolean expired) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id, t.name, t.prefix, t.createdAt, t.expiresAt, t.lastUsedAt,
                    t.expiresAt != null && Instant.now().isAfter(t.expiresAt));
        }
    }

    /** The answer to a creation: the view plus the secret, shown this once. */
    public record CreatedToken(long id, String name, String prefix, Instant createdAt, Instant expiresAt, String token) {
    }

    @Inject
    ApiTokenService tokens;

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditLog audit;

    @GET
    public List<TokenView> list() {
        return tokens.listOf(userId()).stream().map(TokenView::of).toList();
    }

    @POST
    public Response create(NewToken body) {
        if (body == null) {
            throw ApiException.badRequest("name", "Send {\"name\": \"what uses it\", \"expiresInDays\": 90}.");
        }
        ApiTokenService.Created c = tokens.create(userId(), body.name(), body.expiresInDays());
        ApiToken t = c.token();
        audit.record(identity.getPrincipal().getName(), "token.create", t.prefix + "…",
                "'" + t.name + "', " + (t.expiresAt == null ? "no expiry" : "expires " + t.expiresAt));
        return Response.status(201)
                .entity(new CreatedToken(t.id, t.name, t.prefix, t.createdAt, t.expiresAt, c.secret())).build();
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") long id) {
        ApiToken t = tokens.revoke(id, userId(), identity.hasRole("admin"))
                .orElseThrow(() -> ApiException.notFound("token_not_found", "You have no API token with id " + id + "."));
        audit.record(identity.getPrincipal().getName(), "token.revoke", t.prefix + "…",
                "'" + t.name + "' of " + t.user.username);
        return Response.noContent().build();
    }

    private long userId() {
        Long id = identity.getAttribute(BerthPrincipal.USER_ID);
        if (id == null) {
            throw ApiException.forbidden("Only accounts have API tokens; sign in with your own account.");
        }
        return id;
    }
}
