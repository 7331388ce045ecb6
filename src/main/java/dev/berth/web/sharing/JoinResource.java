package dev.berth.web.sharing;

import java.time.Duration;
import java.time.Instant;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.sharing.Guests;
import dev.berth.sharing.LinkService;
import dev.berth.sharing.ShareLink;
import dev.berth.sharing.ShareRole;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.ApiException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The guest side of a share link: {@code GET /api/join/{token}} says whether it still admits guests (the join page
 * asks before showing the name form), {@code POST /api/join/{token} {displayName}} uses it once and answers a
 * guest session cookie ({@code berth_guest}) that reaches only the link's terminal.
 */
@PermitAll
@Path("/join/{token}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class JoinResource {
    @Inject
    dev.berth.audit.AuditLog audit;
    static final int MAX_NAME = 40;

    public record LinkStatus(String role, Instant expiresAt, Integer usesLeft) {
    }

    public record JoinRequest(String displayName) {
    }

    public record Joined(String terminalId, String user, String displayName, String role, Instant expiresAt) {
    }

    @Inject
    LinkService links;
    @Inject
    TerminalRegistry registry;
    @Inject
    HttpServerRequest request;

    @ConfigProperty(name = "berth.sharing.guest-session-ttl", defaultValue = "PT12H")
    Duration guestTtl;
    @ConfigProperty(name = "berth.session.secure-cookie", defaultValue = "auto")
    String secureCookie;

    @GET
    public LinkStatus status(@PathParam("token") String token) {
        ShareLink link = usable(token);
        return new LinkStatus(link.role, link.expiresAt, link.maxUses == null ? null : link.maxUses - link.uses);
    }

    @POST
    public Response join(@PathParam("token") String token, JoinRequest body) {
        String name = displayName(body);
        ShareLink link = usable(token);
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        LinkService.Joined joined = links.join(link, name, address, guestTtl)
                .orElseThrow(() -> refused(links.byToken(token).orElse(link))); // lost a race for the last use, or it expired just now
        audit.record(joined.guest().principal(), "link.join", link.terminalId, "link " + link.id + " as " + joined.guest().role().wire(), address);
        NewCookie cookie = new NewCookie.Builder(Guests.COOKIE).value(joined.cookieToken()).path("/").httpOnly(true)
                .secure(secure()).sameSite(NewCookie.SameSite.STRICT).maxAge((int) guestTtl.toSeconds()).build();
        ShareRole role = joined.guest().role();
        return Response.status(201).cookie(cookie).entity(new Joined(link.terminalId, joined.guest().principal(), name,
                role.terminalRole().wire(), joined.guest().expiresAt())).build();
    }

    /** The link, if it admits a guest now; otherwise a refusal that says why and what to do. */
    private ShareLink usable(String token) {
        ShareLink link = links.byToken(token).orElseThrow(() -> new ApiException(404, "link_not_found",
                "This share link does not exist; check that you copied all of it, or ask the person who shared it for a new one."));
        if (link.state(Instant.now()) != ShareLink.LinkState.ACTIVE) throw refused(link);
        if (registry.find(link.terminalId).isEmpty()) {
            throw new ApiException(410, "terminal_ended", "The terminal this link shares has ended; ask the person who shared it to open it again or send a new link.");
        }
        return link;
    }

    private static ApiException refused(ShareLink link) {
        return switch (link.state(Instant.now())) {
            case REVOKED -> new ApiException(410, "link_revoked", "This share link was revoked; ask the person who shared it for a new one.");
            case EXPIRED -> new ApiException(410, "link_expired", "This share link expired at " + link.expiresAt
                    + "; ask the person who shared it for a new one.");
            case USED_UP, ACTIVE -> new ApiException(410, "link_used_up", "This share link has been used "
                    + link.uses + " of " + link.maxUses + " times and admits nobody else; ask the person who shared it for a new one.");
        };
    }

    private static String displayName(JoinRequest body) {
        String name = body == null || body.displayName() == null ? "" : body.displayName().strip();
        if (name.isEmpty()) throw ApiException.badRequest("displayName", "Enter the name others will see you as.");
        if (name.length() > MAX_NAME) {
            throw ApiException.badRequest("displayName", "A name is at most " + MAX_NAME + " characters (this one has " + name.length() + ").");
        }
        if (name.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '#' || c == ':' || Character.getType(c) == Character.FORMAT)) {
            throw ApiException.badRequest("displayName", "A name cannot contain control characters, '#' or ':'.");
        }
        return name;
    }

    private boolean secure() {
        return switch (secureCookie) {
            case "true" -> true;
            case "false" -> false;
            default -> "https".equalsIgnoreCase(request.scheme())
                    || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        };
    }
}
