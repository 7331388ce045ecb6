package dev.berth.web.sharing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.account.User;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerService;
import dev.berth.sharing.AccessRevoker;
import dev.berth.sharing.GrantService;
import dev.berth.sharing.ShareRole;
import dev.berth.sharing.TerminalGrant;
import dev.berth.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Grants on a container's terminals: its owner (label {@code dev.berth.owner}) or an admin lets another user
 * watch ({@code view}) or type ({@code drive}) on every terminal of the container. Revoking or lowering a grant
 * closes the connections it allowed at once (close code 4403).
 */
@RolesAllowed({"admin", "user"})
@Path("/containers/{id}/grants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GrantResource {
    @Inject
    dev.berth.audit.AuditLog audit;
    /** The engine label naming a container's owner (set by the web layer at create time). */
    static final String OWNER_LABEL = dev.berth.ownership.Owners.LABEL;

    public record GrantView(String user, String role, String grantedBy, Instant createdAt) {
        static GrantView of(TerminalGrant g) {
            return new GrantView(g.username, g.role, g.grantedBy, g.createdAt);
        }
    }

    public record GrantRequest(String role) {
    }

    @Inject
    ContainerService containers;
    @Inject
    GrantService grants;
    @Inject
    AccessRevoker revoker;
    @Inject
    SecurityIdentity identity;

    @GET
    public List<GrantView> list(@PathParam("id") String id) {
        return grants.list(manageable(id)).stream().map(GrantView::of).toList();
    }

    @PUT
    @Path("{user}")
    public Response put(@PathParam("id") String id, @PathParam("user") String username, GrantRequest body) {
        String containerId = manageable(id);
        ShareRole role = body == null ? null : ShareRole.fromWire(body.role());
        if (role == null) {
            throw ApiException.badRequest("role", "Give the role to grant: {\"role\": \"view\"} to watch or {\"role\": \"drive\"} to type too.");
        }
        User user = User.findByUsername(username).orElseThrow(() -> new ApiException(404, "user_not_found",
                "There is no user '" + username + "'; check the name (Admin > Users lists them).", "user"));
        if (user.username.equals(identity.getPrincipal().getName())) {
            throw ApiException.badRequest("user", "You already have this container's terminals; grant them to someone else.");
        }
        boolean created = grants.put(containerId, user.username, role, identity.getPrincipal().getName());
        audit.record(identity.getPrincipal().getName(), "share.grant", containerId, user.username + " " + role.wire());
        revoker.recheck(containerId, user.username, Set.of(user.role.id())); // a lowered role (drive -> view) reconnects
        TerminalGrant g = grants.list(containerId).stream().filter(x -> x.username.equals(user.username)).findFirst().orElseThrow();
        return Response.status(created ? 201 : 200).entity(GrantView.of(g)).build();
    }

    @DELETE
    @Path("{user}")
    public Response revoke(@PathParam("id") String id, @PathParam("user") String username) {
        String containerId = manageable(id);
        if (!grants.revoke(containerId, username)) {
            throw new ApiException(404, "grant_not_found", "'" + username + "' has no grant on container " + id + ".");
        }
        audit.record(identity.getPrincipal().getName(), "share.revoke", containerId, username);
        Set<String> roles = User.findByUsername(username).map(u -> Set.of(u.role.id())).orElse(Set.of());
        revoker.recheck(containerId, username, roles);
        return Response.noContent().build();
    }

    /** The container's full id, if the caller may manage its grants: its owner or an admin. */
    private String manageable(String id) {
        String containerId;
        Map<String, String> labels;
        try {
            containerId = containers.resolveId(id);
            labels = containers.inspect(containerId).Config().Labels();
        } catch (EngineException e) {
            if (e.reason() == EngineException.Reason.NOT_FOUND) throw notFound(id);
            throw e;
        }
        String me = identity.getPrincipal().getName();
        if (identity.getRoles().contains("admin")) return containerId;
        if (labels != null && me.equals(labels.get(OWNER_LABEL))) return containerId;
        if (grants.hasGrant(containerId, me)) {
            throw ApiException.forbidden("Only the owner of container " + id + " or an admin can share its terminals.");
        }
        throw notFound(id); // not yours and not shared with you: no existence leak
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("not_found", "Container " + id + " does not exist or is not shared with you.");
    }
}
