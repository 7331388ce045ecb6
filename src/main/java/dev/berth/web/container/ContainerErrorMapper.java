package dev.berth.web.container;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.berth.engine.container.SpecValidator;
import dev.berth.web.ApiError;

/** Answers a container or volume request with a bad field as 400 with the field named. */
public class ContainerErrorMapper {
    @ServerExceptionMapper
    public Response invalidField(SpecValidator.InvalidField e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(e.code(), e.getMessage(), e.field())).build();
    }
}
