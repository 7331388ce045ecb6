package dev.berth.web.account;

import java.time.Duration;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.account.PasswordHasher;
import dev.berth.account.SessionService;
import dev.berth.account.User;
import dev.berth.account.UserService;
import dev.berth.audit.AuditLog;
import dev.berth.auth.BerthPrincipal;
import dev.berth.auth.LoginThrottle;
import dev.berth.auth.SessionCookie;
import dev.berth.web.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** Logging in and out of the console, and changing one's own password. */
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record LoginRequest(String username, String password) {
    }

    public record SessionView(String username, String displayName, String role, String csrfToken,
            boolean mustChangePassword) {
    }

    public record PasswordChange(String currentPassword, String newPassword) {
    }

    @Inject
    SessionService sessions;

    @Inject
    UserService users;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditLog audit;

    @Inject
    SecurityIdentity identity;

    @Inject
    HttpServerRequest request;

    @ConfigProperty(name = "berth.session.secure-cookie", defaultValue = "auto")
    String secureCookie;

    @POST
    @PermitAll
    public Response login(LoginRequest body) {
        if (body == null || body.username() == null || body.username().isBlank()) {
            throw ApiException.badRequest("username", "Enter your username.");
        }
        if (body.password() == null || body.password().isEmpty()) {
            throw ApiException.badRequest("password", "Enter your password.");
        }
        String username = body.username().strip();
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        Duration wait = throttle.retryAfter(username, address);
        if (!wait.isZero()) {
            audit.record(username, "session.login-throttled", username, "refused: too many failed logins, retry in "
                    + wait.toSeconds() + " s", address);
            throw tooMany(wait);
        }
        User user = User.findByUsername(username).orElse(null);
        boolean ok;
        if (user == null) {
            hasher.burnTime(body.password());
            ok = false;
        } else {
            ok = hasher.matches(body.password(), user.passwordHash);
        }
        if (!ok) {
            throttle.failed(username, address);
            audit.record(username, "session.login-failed", username,
                    user == null ? "no such account" : "wrong password", address);
            Duration now = throttle.retryAfter(username, address);
            if (!now.isZero()) {
                throw tooMany(now);
            }
            throw new ApiException(401, "invalid_credentials", "Wrong username or password.");
        }
        if (user.disabled) {
            audit.record(username, "session.login-failed", username, "account disabled", address);
            throw new ApiException(403, "account_disabled",
                    "The account '" + username + "' is disabled; ask an administrator to enable it.");
        }
        throttle.succeeded(username);
        SessionService.Created created = sessions.create(user, request.getHeader("User-Agent"), address);
        audit.record(user.username, "session.login", user.username, "session " + created.session().id, address);
        NewCookie cookie = new NewCookie.Builder(SessionCookie.NAME).value(created.token()).path("/").httpOnly(true)
                .secure(secure()).sameSite(NewCookie.SameSite.STRICT).build();
        return Response.ok(new SessionView(user.username, user.displayName, user.role.id(), created.session().csrfToken,
                user.mustChangePassword)).cookie(cookie).build();
    }

    @GET
    @Authenticated
    public SessionView current() {
        String csrf = identity.getAttribute(BerthPrincipal.CSRF_TOKEN);
        String role = identity.getRoles().stream().findFirst().orElse("user");
        return new SessionView(identity.getPrincipal().getName(), identity.getAttribute(BerthPrincipal.DISPLAY_NAME), role,
                csrf, Boolean.TRUE.equals(identity.getAttribute(BerthPrincipal.MUST_CHANGE_PASSWORD)));
    }

    @DELETE
    @PermitAll
    public Response logout() {
        Long sessionId = identity.isAnonymous() ? null : identity.getAttribute(BerthPrincipal.SESSION_ID);
        if (sessionId != null) {
            sessions.end(sessionId, "logged out");
            audit.record(identity.getPrincipal().getName(), "session.logout", identity.getPrincipal().getName(),
                    "session " + sessionId);
        }
        NewCookie expired = new NewCookie.Builder(SessionCookie.NAME).value("").path("/").httpOnly(true)
                .secure(secure()).sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.noContent().cookie(expired).build();
    }

    @PUT
    @Path("/password")
    @Authenticated
    public Response changePassword(PasswordChange body) {
        if (body == null) {
            throw ApiException.badRequest("newPassword", "Send currentPassword and newPassword.");
        }
        Long userId = identity.getAttribute(BerthPrincipal.USER_ID);
        try {
            users.changeOwnPassword(userId, body.currentPassword(), body.newPassword(),
                    identity.getAttribute(BerthPrincipal.SESSION_ID));
        } catch (RuntimeException e) {
            audit.record(identity.getPrincipal().getName(), "session.password-change", identity.getPrincipal().getName(),
                    "failed: " + e.getMessage());
            throw e;
        }
        audit.record(identity.getPrincipal().getName(), "session.password-change", identity.getPrincipal().getName(),
                "other sessions ended");
        return Response.noContent().build();
    }

    private boolean secure() {
        return switch (secureCookie) {
            case "true" -> true;
            case "false" -> false;
            default -> "https".equalsIgnoreCase(request.scheme())
                    || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        };
    }

    private static ApiException tooMany(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        return new RetryAfterException(seconds);
    }

    /** 429 with a Retry-After header. */
    public static final class RetryAfterException extends ApiException {
        private final long seconds;

        RetryAfterException(long seconds) {
            super(429, "too_many_attempts", "Too many failed logins; try again in " + seconds + " s.");
            this.seconds = seconds;
        }

        public long seconds() {
            return seconds;
        }
    }
}
