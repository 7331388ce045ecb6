package dev.berth.web.security;

import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Security headers on every response of the console (pages, assets, API, errors): a Content-Security-Policy that
 * lets the page load and run only its own scripts (no inline or injected script), talk only to its own server
 * (HTTP and WebSocket) and never be framed; plus {@code X-Content-Type-Options}, {@code Referrer-Policy},
 * {@code X-Frame-Options} for older browsers, and {@code Cross-Origin-Opener-Policy}.
 *
 * <p>Port links ({@code /ports/...} and the port-link hosts under {@code berth.ports.base-domain}) are the
 * user's own applications: their responses keep the headers the application and the port-link proxy set.
 *
 * <p>Styles allow {@code 'unsafe-inline'}: the terminal (xterm.js) and the component library set styles at run
 * time. Scripts do not.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String CSP_BASE = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'";

    @ConfigProperty(name = "berth.ports.base-domain")
    Optional<String> portLinkBaseDomain;

    @ConfigProperty(name = "berth.public-url")
    Optional<String> publicUrlValue;

    private Optional<PublicUrl> publicUrl;

    void register(@Observes Router router) {
        publicUrl = PublicUrl.parse(publicUrlValue.orElse(null));
        router.route().order(-2000).handler(this::add);
    }

    void add(RoutingContext ctx) {
        if (!isPortLink(ctx)) {
            MultiMap h = ctx.response().headers();
            h.set("Content-Security-Policy", CSP_BASE + " " + webSocketOrigin(ctx));
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "same-origin");
            h.set("Cross-Origin-Opener-Policy", "same-origin");
        }
        ctx.next();
    }

    /** {@code ws(s)://host:port} of the console: 'self' covers WebSockets only in newer browsers. */
    private String webSocketOrigin(RoutingContext ctx) {
        if (publicUrl.isPresent()) {
            return publicUrl.get().webSocketOrigin();
        }
        String host = ctx.request().authority() == null ? ctx.request().getHeader("Host") : ctx.request().authority().toString();
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            return "";
        }
        boolean https = "https".equalsIgnoreCase(ctx.request().scheme());
        return (https ? "wss://" : "ws://") + host.toLowerCase(Locale.ROOT);
    }

    private boolean isPortLink(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path != null && (path.equals("/ports") || path.startsWith("/ports/"))) {
            return true;
        }
        if (portLinkBaseDomain.isEmpty() || portLinkBaseDomain.get().isBlank() || ctx.request().authority() == null) {
            return false;
        }
        String host = ctx.request().authority().host().toLowerCase(Locale.ROOT);
        return host.endsWith("." + portLinkBaseDomain.get().toLowerCase(Locale.ROOT));
    }
}
