package dev.berth.web.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's pages. Its own routes ({@code /}, {@code /containers/abc}, ...) get the single-page app, so a
 * reload or a shared link works; behind a reverse proxy that serves Berth under a sub-path and sends
 * {@code X-Forwarded-Prefix} (see deploy/nginx), the page's {@code <base href>} is set to that prefix, and
 * every relative URL of the app (assets, /api, WebSockets) resolves under it. Paths nothing else served get
 * JSON under /api and a real 404 page (status 404) elsewhere.
 */
@ApplicationScoped
public class AppPages {
    /** Routes the front end renders itself; keep in sync with src/main/webui/src/app/routes.ts. */
    static final Pattern APP_ROUTES = Pattern.compile(
            "^/(login|images|containers|terminals|networks|volumes|admin|account|workspaces|classes|share|recordings|join|class)(/.*)?$");
    /** A proxy prefix we accept: path segments of unreserved characters, e.g. /berth or /tools/berth. */
    static final Pattern PREFIX = Pattern.compile("^(/[A-Za-z0-9._~-]+)+$");
    static final String BASE_TAG = "<base href=\"/\" />";

    private final String notFoundPage = load("berth/not-found.html");

    @ConfigProperty(name = "berth.ports.base-domain")
    Optional<String> portLinkBaseDomain;
    /** The built index.html (Quinoa puts the front end's build into META-INF/resources), read once. */
    private volatile String indexPage;

    void register(@Observes Router router) {
        router.routeWithRegex("^/$|" + APP_ROUTES.pattern()).order(-50).handler(this::app);
        router.route().order(Integer.MAX_VALUE - 10).handler(this::fallback);
    }

    void app(RoutingContext ctx) {
        if (isPortLinkHost(ctx)) {
            ctx.next(); // {port}-{container}.<base domain>: the port-link proxy serves this host, not the console
            return;
        }
        HttpMethod method = ctx.request().method();
        String index = method == HttpMethod.GET || method == HttpMethod.HEAD ? index() : null;
        if (index == null) {
            ctx.next();
            return;
        }
        String prefix = ctx.request().getHeader("X-Forwarded-Prefix");
        String base = prefix != null && PREFIX.matcher(prefix).matches() ? prefix + "/" : "/";
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-cache")
                .end(index.replace(BASE_TAG, "<base href=\"" + base + "\" />"));
    }

    private boolean isPortLinkHost(RoutingContext ctx) {
        if (portLinkBaseDomain.isEmpty() || ctx.request().authority() == null) {
            return false;
        }
        String host = ctx.request().authority().host().toLowerCase(java.util.Locale.ROOT);
        return host.endsWith("." + portLinkBaseDomain.get().toLowerCase(java.util.Locale.ROOT));
    }

    private String index() {
        String page = indexPage;
        if (page == null) {
            try (InputStream in = AppPages.class.getClassLoader().getResourceAsStream("META-INF/resources/index.html")) {
                if (in == null) {
                    return null; // dev mode: Quinoa's dev server serves the page
                }
                page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            indexPage = page;
        }
        return page;
    }

    void fallback(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/") || path.startsWith("/ws/")) {
            ctx.next();
            return;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", "not_found")
                            .put("message", "No API resource at " + path + ". See /q/openapi for the endpoints.").encode());
            return;
        }
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(notFoundPage);
    }

    private static String load(String resource) {
        try (InputStream in = AppPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
