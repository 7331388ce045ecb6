package dev.berth.web.sharing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.sharing.AccessRevoker;
import dev.berth.sharing.LinkService;
import dev.berth.sharing.ShareLink;
import dev.berth.sharing.ShareRole;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;
import dev.berth.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * Share links on one terminal: its owner creates one ({@code url} with the secret token is in that answer only)
 * and lists them without secrets; {@link LinkRevokeResource} revokes them.
 */
@RolesAllowed({"admin", "user"})
@Path("/terminals/{terminalId}/links")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LinkResource {
    @Inject
    dev.berth.audit.AuditLog audit;
    static final long DEFAULT_EXPIRY_SECONDS = 24 * 3600;
    static final long MAX_EXPIRY_SECONDS = 30L * 24 * 3600;
    static final int MAX_USES = 10_000;
    private static final Pattern PREFIX = Pattern.compile("^(/[A-Za-z0-9._~-]+)+$");

    public record CreateLink(String role, Long expiresInSeconds, Integer maxUses) {
    }

    @Inject
    LinkService links;
    @Inject
    AccessRevoker revoker;
    @Inject
    TerminalRegistry registry;
    @Inject
    TerminalAccess access;
    @Inject
    SecurityIdentity identity;
    @Inject
    HttpServerRequest request;

    @ConfigProperty(name = "berth.public-url")
    Optional<String> publicUrl;

    @POST
    public Response create(@PathParam("terminalId") String terminalId, CreateLink body) {
        owned(terminalId, "create share links for");
        ShareRole role = body == null ? null : ShareRole.fromWire(body.role());
        if (role == null) {
            throw ApiException.badRequest("role", "Give the link's role: \"view\" (guests watch) or \"drive\" (guests type too).");
        }
        long seconds = body.expiresInSeconds() == null ? DEFAULT_EXPIRY_SECONDS : body.expiresInSeconds();
        if (seconds < 1 || seconds > MAX_EXPIRY_SECONDS) {
            throw ApiException.badRequest("expiresInSeconds", "A link expires after 1 second to 30 days ("
                    + MAX_EXPIRY_SECONDS + " s), not " + seconds + " s.");
        }
        Integer maxUses = body.maxUses();
        if (maxUses != null && (maxUses < 1 || maxUses > MAX_USES)) {
            throw ApiException.badRequest("maxUses", "A link admits 1 to " + MAX_USES + " guests (leave maxUses out for no limit), not " + maxUses + ".");
        }
        LinkService.Created created = links.create(terminalId, role, Duration.ofSeconds(seconds), maxUses, me());
        audit.record(me(), "link.create", terminalId, "link " + created.link().id + " " + role.wire()
                + (maxUses == null ? "" : ", at most " + maxUses + " guests") + ", expires in " + seconds + " s");
        String path = "join/" + created.token();
        return Response.status(201).entity(LinkView.of(created.link(), base() + path, "/" + path)).build();
    }

    @GET
    public List<LinkView> list(@PathParam("terminalId") String terminalId) {
        owned(terminalId, "list the share links of");
        return links.list(terminalId).stream().map(l -> LinkView.of(l, null, null)).toList();
    }

    private void owned(String terminalId, String what) {
        Optional<TerminalRole> role = registry.find(terminalId).isPresent()
                ? access.roleFor(me(), identity.getRoles(), terminalId) : Optional.empty();
        if (role.isEmpty()) {
            throw ApiException.notFound("not_found", "Terminal " + terminalId + " does not exist or is not shared with you.");
        }
        if (role.get() != TerminalRole.OWNER) {
            throw ApiException.forbidden("Only the owner of terminal " + terminalId + " can " + what + " it.");
        }
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    /** The console's address as the browser sees it: {@code berth.public-url}, else this request's origin. */
    private String base() {
        if (publicUrl.isPresent() && !publicUrl.get().isBlank()) {
            String u = publicUrl.get().strip();
            return u.endsWith("/") ? u : u + "/";
        }
        String prefix = request.getHeader("X-Forwarded-Prefix");
        String p = prefix != null && PREFIX.matcher(prefix).matches() ? prefix : "";
        return request.scheme() + "://" + request.getHeader("Host") + p + "/";
    }
}
