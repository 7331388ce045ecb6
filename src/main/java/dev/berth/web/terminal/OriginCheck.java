package dev.berth.web.terminal;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Locale;

/**
 * Rejects cross-origin WebSocket upgrades (403): a page from another site must not open a terminal with the
 * user's cookie. The Origin's scheme, host and port must match the request's own (as seen through a trusted
 * proxy when {@code quarkus.http.proxy.*} forwarding is enabled). Clients that send no Origin (not browsers)
 * pass; they cannot ride on a browser's cookie.
 */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin == null || sameOrigin(origin, request.scheme(), request.authority() == null ? request.getHeader("Host") : request.authority().toString())) {
            return CheckResult.permitUpgrade();
        }
        return CheckResult.rejectUpgrade(403);
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
