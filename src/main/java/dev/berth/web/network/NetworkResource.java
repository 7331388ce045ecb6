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
import io.quarkus.security.Authenticated;

/**
 * {@code /api/networks} ({@code quarkus.rest.path} is /api): Docker's network commands. Reading is for every signed-in user; creating, removing,
 * connecting and disconnecting change what other users' containers can reach, so they are for admins until
 * ownership of containers exists to check against.
 */
@Path("/networks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class NetworkResource {

    @Inject
    NetworkService networks;

    public record NetworkView(String id, String name, String driver, String bridge, String subnet, String gateway,
            boolean builtin, Instant created, List<NetworkDetails.Member> containers) {

        static NetworkView of(Network n, List<NetworkDetails.Member> members) {
            return new NetworkView(n.id(), n.name(), "bridge", n.bridge(), n.subnet(), n.gateway(), n.builtin(), n.created(), members);
        }
    }

    public record CreateNetwork(@NotBlank String name, String subnet) {
    }

    public record Connect(@NotBlank String container, List<String> aliases) {
    }

    public record Disconnect(@NotBlank String container) {
    }

    @GET
    public List<NetworkView> list() {
        return networks.list().stream().map(n -> NetworkView.of(n, networks.inspect(n.id()).containers())).toList();
    }

    @GET
    @Path("/{network}")
    public NetworkView inspect(@PathParam("network") String network) {
        NetworkDetails d = networks.inspect(network);
        return NetworkView.of(d.network(), d.containers());
    }

    @POST
    @RolesAllowed("admin")
    public Response create(@Valid @NotNull CreateNetwork body) {
        Network n = networks.create(body.name(), body.subnet());
        return Response.created(URI.create("networks/" + n.id())).entity(NetworkView.of(n, List.of())).build();
    }

    @DELETE
    @Path("/{network}")
    @RolesAllowed("admin")
    public Response remove(@PathParam("network") String network) {
        networks.remove(network);
        return Response.noContent().build();
    }

    @POST
    @Path("/{network}/connect")
    @RolesAllowed("admin")
    public Endpoint connect(@PathParam("network") String network, @Valid @NotNull Connect body) {
        return networks.connect(network, body.container(), body.aliases());
    }

    @POST
    @Path("/{network}/disconnect")
    @RolesAllowed("admin")
    public Response disconnect(@PathParam("network") String network, @Valid @NotNull Disconnect body) {
        networks.disconnect(network, body.container());
        return Response.noContent().build();
    }
}
