package dev.berth.web.sharing;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.sharing.AccessRevoker;
import dev.berth.sharing.LinkService;
import dev.berth.sharing.ShareLink;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalRole;
import dev.berth.web.ApiException;
import jakarta.annotation.security.RolesAllowed;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * {@code DELETE /api/links/{id}}: revokes a share link (its creator, the terminal's owner, or an admin). The guest
 * sessions it opened end and their terminal connections close at once (close code 4403).
 */
@RolesAllowed({"admin", "user"})
@Path("/links")
@Produces(MediaType.APPLICATION_JSON)
public class LinkRevokeResource {
    @Inject
    dev.berth.audit.AuditLog audit;
    @Inject
    LinkService links;
    @Inject
    AccessRevoker revoker;
    @Inject
    TerminalAccess access;
    @Inject
    SecurityIdentity identity;

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") long id) {
        ShareLink link = links.find(id).filter(this::mayRevoke)
                .orElseThrow(() -> ApiException.notFound("not_found", "Share link " + id + " does not exist or is not yours."));
        List<String> guests = links.revoke(link.id);
        audit.record(identity.getPrincipal().getName(), "link.revoke", link.terminalId, "link " + id + ", " + guests.size() + " guest(s) disconnected");
        revoker.closeGuests(guests, "the share link you joined with was revoked");
        return Response.noContent().build();
    }

    private boolean mayRevoke(ShareLink link) {
        String me = identity.getPrincipal().getName();
        if (identity.getRoles().contains("admin") || link.createdBy.equals(me)) return true;
        return access.roleFor(me, identity.getRoles(), link.terminalId).filter(r -> r == TerminalRole.OWNER).isPresent();
    }
}
