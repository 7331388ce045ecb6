package dev.berth.web.terminal;

import dev.berth.terminal.RecordingStore;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;
import dev.berth.web.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Open terminals and their asciicast recordings. */
@Authenticated
@Path("/terminals")
@Produces(MediaType.APPLICATION_JSON)
public class TerminalResource {

    /** {@code containerId}: the container the terminal belongs to (its TTY or an exec session in it), null for others. */
    public record TerminalView(String id, String owner, int cols, int rows, String role, int clients, boolean recording,
                               String keyboardMode, String resizePolicy, String containerId) {
    }

    @Inject
    TerminalRegistry registry;
    @Inject
    TerminalAccess access;
    @Inject
    RecordingStore recordings;
    @Inject
    SecurityIdentity identity;
    @Inject
    dev.berth.ownership.TerminalContainers terminalContainers;
    @Inject
    dev.berth.engine.container.ContainerService containers;

    @GET
    public List<TerminalView> list() {
        return registry.all().stream()
                .flatMap(h -> role(h.id()).map(r -> view(h, r)).stream())
                .toList();
    }

    @GET
    @Path("{id}")
    public TerminalView get(@PathParam("id") String id) {
        TerminalHub hub = hub(id);
        return view(hub, role(id).orElseThrow(() -> notFound(id)));
    }

    @GET
    @Path("{id}/recordings")
    public List<RecordingStore.Recording> recordings(@PathParam("id") String id) throws IOException {
        mayRead(id);
        return recordings.list(id, registry.find(id));
    }

    @POST
    @Path("{id}/recordings")
    public Response startRecording(@PathParam("id") String id) throws IOException {
        TerminalHub hub = hub(id);
        if (role(id).orElseThrow(() -> notFound(id)) != TerminalRole.OWNER) {
            throw new ApiException(403, "forbidden", "only the owner of terminal " + id + " can record it");
        }
        try {
            String name = recordings.start(hub);
            return Response.status(201).entity(Map.of("terminalId", id, "name", name)).build();
        } catch (IllegalStateException e) {
            throw new ApiException(409, "already_recording", e.getMessage() + ": stop the current recording first");
        }
    }

    @DELETE
    @Path("{id}/recordings/current")
    public Response stopRecording(@PathParam("id") String id) {
        TerminalHub hub = hub(id);
        if (role(id).orElseThrow(() -> notFound(id)) != TerminalRole.OWNER) {
            throw new ApiException(403, "forbidden", "only the owner of terminal " + id + " can stop its recording");
        }
        if (!hub.recording()) throw new ApiException(404, "not_recording", "terminal " + id + " is not being recorded");
        hub.stopRecording();
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/recordings/{name}")
    @Produces("application/x-asciicast")
    public Response download(@PathParam("id") String id, @PathParam("name") String name) {
        mayRead(id);
        java.nio.file.Path file = recordings.file(id, name)
                .orElseThrow(() -> new ApiException(404, "not_found", "recording " + name + " of terminal " + id + " does not exist"));
        return Response.ok(file.toFile(), "application/x-asciicast")
                .header("Content-Disposition", "attachment; filename=\"" + id + "-" + name + "\"").build();
    }

    private void mayRead(String id) {
        if (identity.getRoles().contains("admin")) return;
        role(id).orElseThrow(() -> notFound(id));
    }

    private Optional<TerminalRole> role(String id) {
        return access.roleFor(identity.getPrincipal().getName(), identity.getRoles(), id);
    }

    private TerminalHub hub(String id) {
        return registry.find(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "not_found", "terminal " + id + " does not exist or is not shared with you");
    }

    private TerminalView view(TerminalHub h, TerminalRole r) {
        return new TerminalView(h.id(), h.owner(), h.cols(), h.rows(), r.wire(), h.clients().size(), h.recording(),
                h.keyboardMode().wire(), h.resizePolicy().wire(), containerOf(h.id()));
    }

    private String containerOf(String terminalId) {
        return terminalContainers.containerOf(terminalId).filter(c -> {
            try {
                return containers.inspect(c).Id().equals(c);
            } catch (dev.berth.engine.EngineException e) {
                return false;
            }
        }).orElse(null);
    }
}
