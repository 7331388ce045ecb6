package dev.berth.auth;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses cookie-authenticated state changes that don't carry the session's CSRF token in the
 * {@value SessionCookie#CSRF_HEADER} header. Requests without the session cookie (HTTP Basic, API tokens) are
 * not exposed to CSRF and pass. Logging in is exempt: it sets the cookie.
 */
@ApplicationScoped
public class CsrfGuard {
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    void register(@Observes Router router) {
        router.route("/api/*").order(-1000).handler(this::check);
    }

    void check(RoutingContext ctx) {
        if (SAFE.contains(ctx.request().method()) || isLogin(ctx)) {
            ctx.next();
            return;
        }
        Cookie cookie = ctx.request().getCookie(SessionCookie.NAME);
        if (cookie == null || cookie.getValue().isEmpty()
                || ctx.request().getHeader(io.vertx.core.http.HttpHeaders.AUTHORIZATION) != null) {
            ctx.next();
            return;
        }
        String sent = ctx.request().getHeader(SessionCookie.CSRF_HEADER);
        if (SessionCookie.constantTimeEquals(sent, SessionCookie.csrfTokenFor(cookie.getValue()))) {
            ctx.next();
            return;
        }
        String code = sent == null ? "csrf_token_missing" : "csrf_token_invalid";
        ctx.response().setStatusCode(403).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", code).put("message",
                        "This change must carry the session's CSRF token in the " + SessionCookie.CSRF_HEADER
                                + " header (the console does this itself; reload the page and try again).")
                        .encode());
    }

    private static boolean isLogin(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.POST && "/api/session".equals(ctx.normalizedPath());
    }
}
