package dev.berth.auth;

import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.berth.sharing.Guests;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Guests (people who joined through a share link, {@code berth_guest} cookie) are somebody on exactly four
 * paths: their terminal's WebSocket ({@code /ws/terminals/{id}}), {@code GET /api/terminals/{id}},
 * {@code GET /api/terminals} (which lists only what they may use: that terminal) and {@code GET /api/session} (so
 * the console knows who they are). Everywhere else the cookie is ignored and they
 * are anonymous, so every other endpoint answers 401: a guest reaches nothing but the one terminal.
 *
 * <p>Tried before the login-session mechanism, so a signed-in person who joined a link in the same browser is
 * that guest on that terminal (the link is what they opened); {@code /api/session} stays the login session's when
 * there is one. An alternative of the same CDI priority as {@link BerthAuthenticationMechanism}, so both stay
 * enabled (an alternative hides every non-alternative mechanism) and Quarkus orders them by {@link #getPriority()}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class GuestAuthenticationMechanism implements HttpAuthenticationMechanism {
    private static final Set<HttpMethod> READ = Set.of(HttpMethod.GET, HttpMethod.HEAD);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie cookie = context.request().getCookie(Guests.COOKIE);
        if (cookie == null || cookie.getValue().isEmpty() || !mayApply(context)) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new GuestTokenRequest(cookie.getValue()))
                .onFailure(AuthenticationFailedException.class).recoverWithNull()
                .map(identity -> identity != null && allowed(context, identity.getAttribute(Guests.TERMINAL_ID)) ? identity : null);
    }

    /** Cheap pre-check before any lookup: is this one of the paths a guest may be known on? */
    private static boolean mayApply(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (ctx.request().getHeader(io.vertx.core.http.HttpHeaders.AUTHORIZATION) != null) return false;
        if (path.startsWith("/ws/terminals/")) return true;
        if (!READ.contains(ctx.request().method())) return false;
        if (path.equals("/api/session")) {
            Cookie login = ctx.request().getCookie(SessionCookie.NAME);
            return login == null || login.getValue().isEmpty();
        }
        return path.equals("/api/terminals") || path.startsWith("/api/terminals/");
    }

    static boolean allowed(RoutingContext ctx, String terminalId) {
        if (terminalId == null) return false;
        String path = ctx.normalizedPath();
        return path.equals("/api/session") || path.equals("/api/terminals") || path.equals("/ws/terminals/" + terminalId)
                || path.equals("/api/terminals/" + terminalId);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(GuestTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, Guests.COOKIE));
    }

    /** Before the login-session mechanism (default priority 1000); see the class comment. */
    @Override
    public int getPriority() {
        return 2000;
    }
}
