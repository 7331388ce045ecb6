package dev.berth.web.network;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.engine.network.Endpoint;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkDetails;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.container.ContainerService;
import dev.berth.ownership.Owners;
import dev.berth.web.ownership.AccessGuard;

/**
 * {@code /api/networks} ({@code quarkus.rest.path} is /api): Docker's network commands. A network belongs to whoever
 * created it; the built-in ones are host-wide (everyone may attach their containers, only admins change them).
 * Users see their own networks and the built-in ones, with only the member containers they may see; they connect
 * and disconnect only containers they control, and only to networks they may use.
 */
@Path("/networks")
@RolesAllowed({"admin", "user"})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NetworkResource {

    @Inject
    NetworkService networks;
    @Inject
    AccessGuard access;
    @Inject
    ContainerService containers;

    public record NetworkView(String id, String name, String driver, String bridge, String subnet, String gateway,
            boolean builtin, Instant created, List<NetworkDetails.Member> containers, java.util.Map<String, String> labels,
            String owner) {

        static NetworkView of(Network n, List<NetworkDetails.Member> members) {
            return new NetworkView(n.id(), n.name(), "bridge", n.bridge(), n.subnet(), n.gateway(), n.builtin(), n.created(), members,
                    n.labels(), Owners.of(n.labels()));
        }
    }

    /** Admins name any endpoint the network layer knows; users only containers they control. */
    private String controllable(String container) {
        return access.admin() ? container : access.controlContainer(container);
    }

    /** Members the caller may see: admins all, others the containers they may read. */
    private List<NetworkDetails.Member> visible(List<NetworkDetails.Member> members) {
        if (access.admin()) {
            return members;
        }
        return members.stream().filter(m -> {
            try {
                access.readContainer(m.containerId());
                return true;
            } catch (dev.berth.engine.EngineException hidden) {
                return false;
            }
        }).toList();
    }

    public record CreateNetwork(@NotBlank String name, String subnet) {
    }

    public record Connect(@NotBlank String container, List<String> aliases) {
    }

    public record Disconnect(@NotBlank String container) {
    }

    @GET
    public List<NetworkView> list() {
        return networks.list().stream().filter(n -> access.access(n).atLeast(dev.berth.ownership.Access.READ))
                .map(n -> NetworkView.of(n, visible(networks.inspect(n.id()).containers()))).toList();
    }

    @GET
    @Path("/{network}")
    public NetworkView inspect(@PathParam("network") String network) {
        access.readNetwork(network);
        NetworkDetails d = networks.inspect(network);
        return NetworkView.of(d.network(), visible(d.containers()));
    }

    @POST
    public Response create(@Valid @NotNull CreateNetwork body) {
        Network n = networks.create(body.name(), body.subnet(), java.util.Map.of(Owners.LABEL, access.user()));
        return Response.created(URI.create("networks/" + n.id())).entity(NetworkView.of(n, List.of())).build();
    }

    @DELETE
    @Path("/{network}")
    public Response remove(@PathParam("network") String network) {
        networks.remove(access.controlNetwork(network).id());
        return Response.noContent().build();
    }

    @POST
    @Path("/{network}/connect")
    public Endpoint connect(@PathParam("network") String network, @Valid @NotNull Connect body) {
        Network n = access.readNetwork(network);
        return networks.connect(n.id(), controllable(body.container()), body.aliases());
    }

    @POST
    @Path("/{network}/disconnect")
    public Response disconnect(@PathParam("network") String network, @Valid @NotNull Disconnect body) {
        Network n = access.readNetwork(network);
        networks.disconnect(n.id(), controllable(body.container()));
        return Response.noContent().build();
    }
}
