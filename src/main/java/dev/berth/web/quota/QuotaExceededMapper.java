package dev.berth.web.quota;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.berth.quota.QuotaExceeded;
import dev.berth.web.ApiError;

/** A quota refusal: 403 {@code quota_exceeded}, the limit's name in {@code field}. */
public class QuotaExceededMapper {
    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceeded e) {
        return Response.status(403).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("quota_exceeded", e.getMessage(), e.limit())).build();
    }
}
