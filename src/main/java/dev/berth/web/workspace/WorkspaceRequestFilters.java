package dev.berth.web.workspace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.berth.auth.SessionCookie;
import dev.berth.classroom.GuestSessions;
import dev.berth.web.ApiError;
import dev.berth.workspace.WorkspaceService;

/**
 * Two cheap checks on every REST call: REST use of a workspace's container or terminal is activity (its
 * time-to-live starts again; a map lookup, no database), and class guests reach only what their workspace needs.
 */
public class WorkspaceRequestFilters {
    private static final Pattern CONTAINER_OR_TERMINAL = Pattern.compile("^/?(?:api/)?(?:containers|terminals)/([^/]+)");
    /** What a class guest may call: its session, the class page, its workspaces and terminals, share-link joins. */
    private static final Pattern GUEST_ALLOWED = Pattern.compile(
            "^/?(?:api/)?(?:session|classes/join/[^/]+|workspaces(?:/[^/]+(?:/keepalive)?)?|terminals(?:/[^/]+)?|join/.*)$");

    @Inject
    WorkspaceService workspaces;

    @ServerRequestFilter
    public Response filter(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        Cookie cookie = ctx.getCookies().get(SessionCookie.NAME);
        if (cookie != null && GuestSessions.isGuestToken(cookie.getValue()) && ctx.getHeaderString(HttpHeaders.AUTHORIZATION) == null
                && !GUEST_ALLOWED.matcher(path).matches()) {
            return Response.status(403).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError("forbidden",
                    "A class guest can only use their own workspace and its terminal; sign in with an account for the rest of Berth."))
                    .build();
        }
        Matcher m = CONTAINER_OR_TERMINAL.matcher(path);
        if (m.find()) {
            String id = m.group(1);
            workspaces.touchContainer(id);
        }
        return null;
    }
}
