package dev.berth.web.workspace;

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

import dev.berth.auth.BerthPrincipal;
import dev.berth.auth.SessionCookie;
import dev.berth.classroom.ClassService;
import dev.berth.classroom.Classroom;
import dev.berth.classroom.GuestIdentityProvider;
import dev.berth.classroom.GuestSessions;
import dev.berth.web.ApiException;
import dev.berth.web.workspace.WorkspaceViews.WorkspaceView;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /api/classes/join/{token}}: what the class page ({@code <base>/class/{token}}) calls. Signed-in people
 * join as themselves; others give a display name and get a guest session (cookie) that reaches only their own
 * workspace. Each attendee gets one workspace; joining again brings them back to it.
 */
@Path("/classes/join/{token}")
@Produces(MediaType.APPLICATION_JSON)
public class ClassJoinResource {

    public record ClassInvite(String name, String trainer, long ttlSeconds, String image, String signedInAs, boolean needsName) {
    }

    public record JoinRequest(String displayName) {
    }

    public record Joined(long classId, String className, String trainer, String principal, String displayName,
            String csrfToken, String terminalId, WorkspaceView workspace, boolean created) {
    }

    @Inject
    ClassService classes;
    @Inject
    GuestSessions guests;
    @Inject
    SecurityIdentity identity;
    @Inject
    dev.berth.audit.AuditLog audit;
    @Inject
    HttpServerRequest request;

    @ConfigProperty(name = "berth.session.secure-cookie", defaultValue = "auto")
    String secureCookie;

    @GET
    @PermitAll
    public ClassInvite invite(@PathParam("token") String token) {
        Classroom c = classOf(token);
        boolean member = member(c);
        return new ClassInvite(c.name, c.trainer, c.ttlSeconds, c.image, member ? identity.getPrincipal().getName() : null, !member);
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response join(@PathParam("token") String token, JoinRequest body) {
        Classroom c = classOf(token);
        String principal;
        String displayName;
        String csrf;
        NewCookie cookie = null;
        if (member(c)) {
            principal = identity.getPrincipal().getName();
            displayName = identity.getAttribute(BerthPrincipal.DISPLAY_NAME);
            csrf = identity.getAttribute(BerthPrincipal.CSRF_TOKEN);
        } else {
            String name = GuestSessions.validName(body == null ? null : body.displayName());
            GuestSessions.Created guest = guests.create(c.id, name);
            principal = guest.guest().principal();
            displayName = name;
            csrf = SessionCookie.csrfTokenFor(guest.token());
            cookie = new NewCookie.Builder(SessionCookie.NAME).value(guest.token()).path("/").httpOnly(true)
                    .secure(secure()).sameSite(NewCookie.SameSite.STRICT).build();
        }
        ClassService.Joined joined = classes.join(c, principal, displayName);
        audit.record(principal, "class.join", "class " + c.id, (joined.created() ? "new workspace " : "back to workspace ")
                + joined.workspace().id() + (cookie != null ? ", as a guest" : ""));
        Response.ResponseBuilder r = Response.status(joined.created() ? 201 : 200).entity(new Joined(c.id, c.name, c.trainer,
                principal, displayName, csrf, joined.terminal().id(), WorkspaceViews.of(joined.workspace()), joined.created()));
        if (cookie != null) r.cookie(cookie);
        return r.build();
    }

    /** A signed-in account, or a guest of this very class: joins as itself. Anonymous and other guests: new guest. */
    private boolean member(Classroom c) {
        if (identity.isAnonymous()) return false;
        if (!identity.hasRole("guest")) return true;
        Object classId = identity.getAttribute(GuestIdentityProvider.CLASS_ID);
        return classId != null && classId.equals(c.id);
    }

    private Classroom classOf(String token) {
        return classes.byToken(token).orElseThrow(() -> ApiException.notFound("class_link_invalid",
                "This class link does not work (any more): the class has ended or the trainer made a new link. "
                        + "Ask your trainer for the current link."));
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
