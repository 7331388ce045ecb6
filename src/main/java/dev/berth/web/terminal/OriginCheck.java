package dev.berth.web.terminal;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import dev.berth.web.security.PublicUrl;

import java.net.URI;
import java.util.Locale;

/**
 * Rejects cross-origin WebSocket upgrades (403): a page from another site must not open a terminal with the
 * user's cookie. With {@code berth.public-url} set, the Origin's scheme, host and port must be exactly the public
 * URL's (the way browsers reach Berth, also behind a reverse proxy). Without it, they must match the request's own
 * (as seen through a trusted proxy when {@code quarkus.http.proxy.*} forwarding is enabled). Clients that send no
 * Origin (not browsers) pass; they cannot ride on a browser's cookie.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OriginCheck.class);

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "berth.public-url")
    java.util.Optional<String> publicUrlValue;

    private volatile java.util.Optional<PublicUrl> publicUrl;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return CheckResult.permitUpgrade();
        }
        boolean allowed = publicUrl().map(u -> u.matchesOrigin(origin)).orElseGet(() -> sameOrigin(origin,
                request.scheme(), request.authority() == null ? request.getHeader("Host") : request.authority().toString()));
        if (allowed) {
            return CheckResult.permitUpgrade();
        }
        LOG.debugf("WebSocket upgrade of %s refused: Origin %s is not the console's", request.path(), origin);
        return CheckResult.rejectUpgrade(403);
    }

    private java.util.Optional<PublicUrl> publicUrl() {
        java.util.Optional<PublicUrl> u = publicUrl;
        if (u == null) {
            u = PublicUrl.parse(publicUrlValue.orElse(null));
            publicUrl = u;
        }
        return u;
    }

    static boolean sameOrigin(String origin, String scheme, String hostHeader) {
        if (hostHeader == null) return false;
        try {
            URI o = URI.create(origin);
            URI h = URI.create((scheme == null ? "http" : scheme) + "://" + hostHeader);
            String os = o.getScheme() == null ? "" : o.getScheme().toLowerCase(Locale.ROOT);
            String hs = h.getScheme().toLowerCase(Locale.ROOT);
            if (hs.equals("ws")) hs = "http";
            if (hs.equals("wss")) hs = "https";
            return os.equals(hs) && o.getHost() != null && o.getHost().equalsIgnoreCase(h.getHost())
                    && port(o) == port(h);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI u) {
        if (u.getPort() != -1) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
