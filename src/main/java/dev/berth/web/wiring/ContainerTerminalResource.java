package dev.berth.web.wiring;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.engine.container.ContainerInspect;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.Trees;
import dev.berth.engine.runtime.ContainerRuntime;
import dev.berth.engine.runtime.ExecSpec;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.TerminalSize;
import dev.berth.terminal.AttachedProcessSource;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.ApiException;
import dev.berth.ownership.Owners;
import dev.berth.ownership.TerminalContainers;
import dev.berth.web.ownership.AccessGuard;
import jakarta.annotation.security.RolesAllowed;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Terminals on containers: the container's own TTY (terminal id = container id) and exec sessions (a new
 * terminal id each). Browsers then connect to {@code /ws/terminals/{terminalId}}. The container's owner owns all its
 * terminals (and whoever opened an exec terminal owns that one), admins too; others get what grants, links and
 * class rules give them (see {@code TerminalAccess}). Opening the TTY terminal needs read access to the container,
 * an exec session control of it.
 */
@Path("/containers/{id}")
@RolesAllowed({"admin", "user"})
@Produces(MediaType.APPLICATION_JSON)
public class ContainerTerminalResource {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ContainerService containers;
    @Inject
    ContainerRuntime runtime;
    @Inject
    TerminalRegistry registry;
    @Inject
    SecurityIdentity identity;
    @Inject
    AccessGuard access;
    @Inject
    TerminalContainers terminalContainers;

    /** {@code POST /api/containers/{id}/exec}: a command with a PTY inside a running container. */
    public record ExecRequest(List<String> cmd, String user, Boolean tty, Integer cols, Integer rows, List<String> env,
            String workingDir) {
    }

    public record TerminalOpened(String terminalId, String containerId, String owner, int cols, int rows) {
        static TerminalOpened of(TerminalHub hub, String containerId) {
            return new TerminalOpened(hub.id(), containerId, hub.owner(), hub.cols(), hub.rows());
        }
    }

    /**
     * Opens the shared terminal of a container started with {@code tty} (initial size {@code ?cols=&rows=}), or
     * answers the one already open.
     */
    @POST
    @Path("/terminal")
    public Response terminal(@PathParam("id") String id, @QueryParam("cols") Integer cols, @QueryParam("rows") Integer rows) {
        ContainerInspect target = access.readContainer(id);
        String containerId = target.Id();
        String owner = Owners.of(target.Config().Labels());
        RunningProcess process = running(containerId);
        if (!process.tty()) {
            throw new ApiException(409, "container_has_no_tty", "Container " + id
                    + " was not created with a TTY, so it has no terminal to share; create it with \"tty\": true "
                    + "(and \"openStdin\": true to type into it), or open an exec terminal (POST /api/containers/" + id + "/exec).");
        }
        TerminalSize size = size(cols, rows);
        synchronized (registry) {
            var open = registry.find(containerId).filter(h -> !h.hasExited());
            if (open.isPresent()) {
                return Response.ok(TerminalOpened.of(open.get(), containerId)).build();
            }
            try {
                // the TTY terminal belongs to the container's owner, whoever opens it first
                TerminalHub hub = registry.open(containerId, owner == null ? user() : owner, new AttachedProcessSource(process, true),
                        size.cols(), size.rows());
                return Response.status(201).entity(TerminalOpened.of(hub, containerId)).build();
            } catch (IOException e) {
                throw new ApiException(500, "terminal_failed", "Could not attach to the terminal of container " + id + ": " + e.getMessage());
            }
        }
    }

    /** Starts a command with its own PTY in a running container and opens a terminal on it. */
    @POST
    @Path("/exec")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response exec(@PathParam("id") String id, ExecRequest request) {
        if (request == null || request.cmd() == null || request.cmd().isEmpty() || request.cmd().get(0).isBlank()) {
            throw ApiException.badRequest("cmd", "Give the command to run as a list, e.g. {\"cmd\": [\"sh\"]}.");
        }
        if (Boolean.FALSE.equals(request.tty())) {
            throw ApiException.badRequest("tty", "Exec terminals always have a TTY; leave 'tty' out or set it to true.");
        }
        String containerId = access.controlContainer(id);
        RunningProcess container = running(containerId);
        TerminalSize size = size(request.cols(), request.rows());
        ContainerInspect.Config config = containers.inspect(containerId).Config();
        List<String> env = new java.util.ArrayList<>(config.Env());
        if (request.env() != null) {
            env.addAll(request.env());
        }
        String user = request.user() == null || request.user().isBlank() ? config.User() : request.user();
        String cwd = request.workingDir() == null || request.workingDir().isBlank() ? config.WorkingDir() : request.workingDir();
        String suffix = HexFormat.of().formatHex(randomBytes(8));
        // a short sibling of the container's runtime dir: the monitor's socket path must stay under 108 bytes
        java.nio.file.Path stateDir = containers.runtimeDir(containerId).resolveSibling("x" + suffix.substring(0, 12));
        RunningProcess exec;
        try {
            exec = runtime.exec(container, new ExecSpec(stateDir, request.cmd(), env, cwd, user, true, true, size, null));
        } catch (dev.berth.engine.EngineException e) {
            Trees.deleteRecursively(stateDir);
            // the console shows these at the field they concern (the command or the user)
            if ("executable_not_found".equals(e.code())) {
                throw new ApiException(400, e.code(), "'" + request.cmd().get(0) + "' does not exist in container " + id
                        + " (" + e.getMessage() + "). Images without a shell need another command, e.g. one of the image's own"
                        + " programs, or attach to the container's TTY if it has one.", "cmd");
            }
            if ("bad_user".equals(e.code())) {
                throw new ApiException(400, e.code(), e.getMessage(), "user");
            }
            throw e;
        }
        String terminalId = "exec-" + suffix;
        terminalContainers.recordExec(terminalId, containerId);
        try {
            TerminalHub hub = registry.open(terminalId, user(), new AttachedProcessSource(exec, true), size.cols(), size.rows());
            hub.onExit(h -> {
                Trees.deleteRecursively(stateDir);
                terminalContainers.forget(terminalId);
            });
            if (hub.hasExited()) {
                Trees.deleteRecursively(stateDir);
            }
            return Response.status(201).entity(TerminalOpened.of(hub, containerId)).build();
        } catch (IOException | RuntimeException e) {
            terminalContainers.forget(terminalId);
            exec.kill(9);
            exec.exit().whenComplete((s, t) -> Trees.deleteRecursively(stateDir));
            throw new ApiException(500, "terminal_failed", "Could not attach to the exec session in container " + id + ": " + e.getMessage());
        }
    }

    private RunningProcess running(String containerId) {
        return containers.process(containerId).flatMap(p -> p.unwrap(RunningProcess.class))
                .orElseThrow(() -> new ApiException(409, "container_not_running", "Container " + containerId
                        + " is not running; start it first (POST /api/containers/" + containerId + "/start)."));
    }

    private String user() {
        return identity.getPrincipal().getName();
    }

    private static TerminalSize size(Integer cols, Integer rows) {
        int c = cols == null ? 80 : cols;
        int r = rows == null ? 24 : rows;
        if (c < 1 || c > 1000 || r < 1 || r > 1000) {
            throw ApiException.badRequest(cols != null && (c < 1 || c > 1000) ? "cols" : "rows",
                    "A terminal is 1-1000 columns by 1-1000 rows, not " + c + "x" + r + ".");
        }
        return new TerminalSize(c, r);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
