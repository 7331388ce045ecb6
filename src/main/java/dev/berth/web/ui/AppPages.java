package dev.berth.web.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the server answers for paths nothing else served: the console's own routes get the single-page app
 * (so a reload or a shared link to /containers/abc works), unknown API paths get JSON, and everything else a
 * real 404 page with status 404.
 */
@ApplicationScoped
public class AppPages {
    /** Routes the front end renders itself; keep in sync with src/main/webui/src/routes.ts. */
    static final Pattern APP_ROUTES = Pattern.compile(
            "^/(login|images|containers|terminals|networks|volumes|admin|account|workspaces|classes|share|recordings)(/.*)?$");

    private final String notFoundPage = load("berth/not-found.html");

    void register(@Observes Router router) {
        router.route().order(Integer.MAX_VALUE - 10).handler(this::fallback);
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
        boolean page = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
        if (page && APP_ROUTES.matcher(path).matches()) {
            ctx.reroute("/");
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
