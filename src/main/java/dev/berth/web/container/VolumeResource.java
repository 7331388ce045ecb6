package dev.berth.web.container;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;
import io.quarkus.security.Authenticated;

/** Named volumes over REST: create, list, inspect, remove (refused while in use unless forced). */
@Path("/volumes")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class VolumeResource {
    @Inject
    VolumeService volumes;

    public record CreateVolume(String name, Map<String, String> labels) {
    }

    /** A volume with the containers using it. */
    public record VolumeView(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
            boolean anonymous, List<String> usedBy) {
        static VolumeView of(Volume v, List<String> usedBy) {
            return new VolumeView(v.name(), v.driver(), v.mountpoint(), v.createdAt().toString(), v.labels(), v.anonymous(), usedBy);
        }
    }

    @GET
    public List<VolumeView> list() {
        return volumes.list().stream().map(v -> VolumeView.of(v, volumes.usedBy(v.name()))).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateVolume request) {
        Volume v = volumes.create(request == null ? null : request.name(), request == null ? Map.of() : request.labels());
        return Response.status(201).entity(VolumeView.of(v, volumes.usedBy(v.name()))).build();
    }

    @GET
    @Path("/{name}")
    public VolumeView inspect(@PathParam("name") String name) {
        return VolumeView.of(volumes.inspect(name), volumes.usedBy(name));
    }

    @DELETE
    @Path("/{name}")
    public Response remove(@PathParam("name") String name, @QueryParam("force") @DefaultValue("false") boolean force) {
        volumes.remove(name, force);
        return Response.noContent().build();
    }
}
