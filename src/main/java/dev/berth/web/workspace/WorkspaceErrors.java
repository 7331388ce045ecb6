package dev.berth.web.workspace;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.berth.classroom.ClassService;
import dev.berth.web.ApiError;
import dev.berth.workspace.CapacityGuard;

/** The host is full: 503 host_full naming the limit; a bad class or workspace field: 400 naming it. */
public class WorkspaceErrors {
    @ServerExceptionMapper
    public Response hostFull(CapacityGuard.HostFull e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "60")
                .entity(new ApiError("host_full", e.getMessage(), e.limit())).build();
    }

    @ServerExceptionMapper
    public Response invalid(ClassService.InvalidClass e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(dev.berth.web.ApiException.badRequest(e.field(), e.getMessage()).body()).build();
    }
}
