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

import jakarta.annotation.security.RolesAllowed;

import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;
import dev.berth.ownership.OwnedResource;
import dev.berth.ownership.Owners;
import dev.berth.ownership.Requester;
import dev.berth.web.ApiException;
import dev.berth.web.ownership.AccessGuard;
import dev.berth.web.quota.QuotaGuard;

/**
 * Named volumes over REST: create, list, inspect, remove (refused while in use unless forced). A volume belongs to
 * whoever created it (an anonymous one to the owner of the container using it); others' volumes answer as missing.
 */
@Path("/volumes")
@RolesAllowed({"admin", "user"})
@Produces(MediaType.APPLICATION_JSON)
public class VolumeResource {
    @Inject
    VolumeService volumes;
    @Inject
    AccessGuard access;
    @Inject
    QuotaGuard quotas;

    public record CreateVolume(String name, Map<String, String> labels) {
    }

    /** A volume with the containers using it. */
    public record VolumeView(String name, String driver, String mountpoint, String createdAt, Map<String, String> labels,
            boolean anonymous, List<String> usedBy, String owner) {
        static VolumeView of(Volume v, List<String> usedBy, OwnedResource owned) {
            return new VolumeView(v.name(), v.driver(), v.mountpoint(), v.createdAt().toString(), v.labels(), v.anonymous(), usedBy,
                    owned.owner());
        }
    }

    private VolumeView view(Volume v) {
        return VolumeView.of(v, volumes.usedBy(v.name()), access.volume(v));
    }

    @GET
    public List<VolumeView> list() {
        return volumes.list().stream().filter(access::mayRead).map(this::view).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateVolume request) {
        Requester who = access.requester();
        Map<String, String> labels = new java.util.LinkedHashMap<>(request == null || request.labels() == null ? Map.of() : request.labels());
        String asked = labels.get(Owners.LABEL);
        if (asked != null && !asked.equals(who.name()) && !who.admin()) {
            throw new ApiException(403, "forbidden", "The label " + Owners.LABEL + " names a volume's owner; only administrators "
                    + "may create volumes for someone else.", "labels");
        }
        if (asked == null || asked.isBlank()) {
            labels.put(Owners.LABEL, who.name());
        }
        String name = request == null ? null : request.name();
        java.util.Optional<Volume> existing = name == null || name.isBlank() ? java.util.Optional.empty() : volumes.find(name);
        if (existing.isPresent()) {
            if (!access.mayRead(existing.get())) {
                // names are host-wide: say it is taken, not whose it is
                throw ApiException.conflict("volume_name_taken", "The volume name '" + name + "' is taken; choose another name.");
            }
            // Docker answers the existing volume
            return Response.status(201).entity(view(access.controlVolume(name))).build();
        }
        quotas.forNewVolume(who);
        Volume v = volumes.create(name, labels);
        return Response.status(201).entity(view(v)).build();
    }

    @GET
    @Path("/{name}")
    public VolumeView inspect(@PathParam("name") String name) {
        return view(access.readVolume(name));
    }

    @DELETE
    @Path("/{name}")
    public Response remove(@PathParam("name") String name, @QueryParam("force") @DefaultValue("false") boolean force) {
        volumes.remove(access.controlVolume(name).name(), force);
        return Response.noContent().build();
    }
}
