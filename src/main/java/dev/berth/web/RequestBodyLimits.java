package dev.berth.web;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Two body limits for the REST API. Uploads (an image archive, files copied into a container) stream to disk and
 * may be as large as {@code quarkus.http.limits.max-body-size} allows (set high). Every other endpoint takes small
 * JSON that is read into memory whole, so it is held to {@code berth.http.max-json-body-size} (1 MiB): a larger
 * body is refused with 413 before it is read, and a body of unknown length (chunked) with 411. Nobody, signed in
 * or not, can make the server buffer gigabytes.
 */
@ApplicationScoped
public class RequestBodyLimits {
    /** The endpoints that stream their body: {@code POST /api/images/import}, {@code PUT /api/containers/{id}/archive}. */
    private static final Pattern UPLOADS = Pattern.compile("/api/images/import|/api/containers/[^/]+/archive");

    @ConfigProperty(name = "berth.http.max-json-body-size", defaultValue = "1M")
    MemorySize maxJsonBody;

    void register(@Observes Router router) {
        router.route("/api/*").order(-2000).handler(this::check);
    }

    void check(RoutingContext ctx) {
        if (UPLOADS.matcher(ctx.normalizedPath()).matches()) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
                refuse(ctx, 411, "length_required", "This endpoint takes a small JSON body: send it with a "
                        + "Content-Length header (at most " + maxJsonBody.asLongValue() + " bytes), not chunked.");
                return;
            }
            ctx.next();
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            refuse(ctx, 400, "bad_content_length", "The Content-Length header '" + length + "' is not a number.");
            return;
        }
        if (declared > maxJsonBody.asLongValue()) {
            refuse(ctx, 413, "body_too_large", "The request body has " + declared + " bytes; " + ctx.normalizedPath()
                    + " takes at most " + maxJsonBody.asLongValue() + " bytes (berth.http.max-json-body-size). "
                    + "Large uploads go to POST /api/images/import or PUT /api/containers/{id}/archive.");
            return;
        }
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, int status, String code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close")
                .end(new JsonObject().put("error", code).put("message", message).encode());
    }
}
