package dev.berth.web;

import java.util.Comparator;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.berth.account.AccountException;
import dev.berth.engine.EngineException;
import dev.berth.web.account.SessionResource;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Maps every failure that leaves a REST resource to {@link ApiError} JSON with the right status code. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response response = json(e.status(), e.body());
        if (e instanceof SessionResource.RetryAfterException retry) {
            return Response.fromResponse(response).header("Retry-After", retry.seconds()).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response account(AccountException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case FORBIDDEN -> 403;
        };
        return json(status, new ApiError(e.code(), e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    public Response engine(EngineException e) {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID_ARGUMENT -> 400;
            case UNAUTHORIZED, UNAVAILABLE, INTEGRITY -> 502;
            case UNSUPPORTED -> 415;
            case INSUFFICIENT_STORAGE -> 507;
            case INTERNAL -> 500;
        };
        if (status == 500) {
            LOG.error("Engine failure", e);
        }
        return json(status, new ApiError(e.code(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString())).orElse(null);
        if (first == null) {
            return json(400, new ApiError("invalid_request", "The request is not valid."));
        }
        String field = lastNode(first.getPropertyPath().toString());
        return json(400, new ApiError("invalid_" + field.toLowerCase(), "'" + field + "' " + first.getMessage() + ".", field));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return json(400, new ApiError("invalid_json", "The request body is not valid JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return json(401, new ApiError("unauthenticated", "Log in first, or send HTTP Basic credentials."));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return json(401, new ApiError("unauthenticated", "Log in first, or send HTTP Basic credentials."));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return json(403, new ApiError("forbidden", "Your account is not allowed to do this; ask an administrator."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        String message = switch (status) {
            case 404 -> "No such API resource. See /q/openapi for the list of endpoints.";
            case 405 -> "This method is not allowed on this resource. See /q/openapi.";
            case 415 -> "Send the request body as application/json.";
            default -> e.getMessage();
        };
        return json(status, new ApiError(code, message));
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        return json(500, new ApiError("internal_error",
                "Berth failed unexpectedly: " + e.getClass().getSimpleName() + ". The server log has the details."));
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
