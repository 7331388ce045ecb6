package dev.berth.web.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerInspect;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.ContainerStats;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.container.LogEntry;
import dev.berth.engine.container.LogQuery;
import dev.berth.engine.container.SpecValidator;
import dev.berth.engine.container.TopResult;
import dev.berth.web.ApiException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.ResourceLimits;
import dev.berth.ownership.Owners;
import dev.berth.ownership.Requester;
import dev.berth.quota.QuotaRules;
import dev.berth.web.ownership.AccessGuard;
import dev.berth.web.quota.QuotaGuard;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;

/**
 * Containers over REST, after Docker's Engine API: create, start, stop, restart, kill, pause, unpause,
 * remove, rename, wait, inspect, list, logs, stats, top and archive (copy in/out). Every container has an owner
 * (label {@value Owners#LABEL}): users see and change their own (and what rules share with them), admins all;
 * others' containers answer as missing ones. Host-reaching options are for administrators only, and quotas apply
 * at create and start (docs/permissions.md).
 */
@Path("/containers")
@RolesAllowed({"admin", "user"})
@Produces(MediaType.APPLICATION_JSON)
public class ContainerResource {
    @Inject
    ContainerService containers;
    @Inject
    SecurityIdentity identity;
    @Inject
    ObjectMapper json;
    @Inject
    AccessGuard access;
    @Inject
    dev.berth.engine.volume.VolumeService volumeService;
    @Inject
    QuotaGuard quotas;
    @Inject
    dev.berth.engine.container.ImageStoreSource images;

    public record Created(String Id, String Name, List<String> Warnings) {
    }

    public record WaitResult(int StatusCode) {
    }

    @GET
    public List<ObjectNode> list(@QueryParam("all") @DefaultValue("false") boolean all,
            @QueryParam("status") List<String> status, @QueryParam("name") List<String> name,
            @QueryParam("label") List<String> label, @QueryParam("id") List<String> id,
            @QueryParam("ancestor") List<String> ancestor) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        put(filters, "status", status);
        put(filters, "name", name);
        put(filters, "label", label);
        put(filters, "id", id);
        put(filters, "ancestor", ancestor);
        return access.visibleContainers(containers.list(new ContainerFilters(all, filters))).stream()
                .map(c -> withOwner(c, c.labels())).toList();
    }

    /** The engine's view plus a top-level {@code owner} (null for containers created before ownership). */
    private ObjectNode withOwner(Object view, Map<String, String> labels) {
        ObjectNode node = json.valueToTree(view);
        node.put("owner", Owners.of(labels));
        return node;
    }

    private static void put(Map<String, List<String>> filters, String key, List<String> values) {
        if (values != null && !values.isEmpty()) {
            filters.put(key, values);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateContainerRequest request, @QueryParam("name") String name) {
        if (request == null) {
            throw ApiException.badRequest("image", "Send a JSON body with at least 'image', e.g. {\"image\": \"busybox\"}.");
        }
        Requester who = access.requester();
        if (!who.admin()) {
            List<String> host = request.hostOptions();
            if (!host.isEmpty()) {
                throw new ApiException(403, "forbidden", hostOptionMessage(host.get(0)), host.get(0));
            }
        }
        List<String> unsupported = request.unsupportedOptions();
        if (!unsupported.isEmpty()) {
            throw ApiException.badRequest(unsupported.get(0), "'" + unsupported.get(0)
                    + "' is not supported by Berth's engine yet; leave it out.");
        }
        ContainerSpec spec = owned(request.toSpec(name, this::exposedPorts), who);
        ContainerInspect created = containers.create(spec);
        return Response.status(201).entity(new Created(created.Id(), created.Name(), List.of())).build();
    }

    private static String hostOptionMessage(String option) {
        return switch (option) {
            case "binds", "mounts" -> "Bind mounts ('" + option + "') give a container access to host files; only administrators "
                    + "may use them. Use a named volume instead, or ask an administrator.";
            case "networkMode" -> "The host network ('networkMode': 'host') gives a container the host's network stack; only "
                    + "administrators may use it. Use the default network or one of your own networks.";
            default -> "'" + option + "' reaches into the host; only administrators may use it.";
        };
    }

    /**
     * The spec with the owner label and quota defaults, after checking what it uses: named volumes the caller controls
     * (missing ones are created as theirs), networks they may use, a container they control for
     * {@code container:<id>}.
     */
    private static final String WORKSPACE_LABEL = dev.berth.workspace.WorkspaceService.LABEL;

    private ContainerSpec owned(ContainerSpec spec, Requester who) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        String asked = labels.get(Owners.LABEL);
        if (asked != null && !asked.equals(who.name()) && !who.admin()) {
            throw new ApiException(403, "forbidden", "The label " + Owners.LABEL + " names a container's owner; only administrators "
                    + "may create containers for someone else.", "labels");
        }
        if (asked == null || asked.isBlank()) {
            labels.put(Owners.LABEL, who.name());
        }
        if (labels.containsKey(WORKSPACE_LABEL) && !who.admin()) {
            // the workspace reaper removes every container with this label when the workspace expires
            throw new ApiException(403, "forbidden", "The label " + WORKSPACE_LABEL + " ties a container to a training "
                    + "workspace, which removes it when it expires; only workspaces and administrators set it.", "labels");
        }
        Requester owner = asked == null || asked.isBlank() || asked.equals(who.name()) ? who : new Requester(asked, java.util.Set.of("user"));
        for (MountSpec m : spec.mounts()) {
            if (MountSpec.VOLUME.equals(m.type()) && !m.isAnonymousVolume() && access.mountableVolume(m.source()).isEmpty()) {
                volumeService.create(m.source(), Map.of(Owners.LABEL, owner.name()));
            }
        }
        String mode = spec.networkMode();
        if (mode.startsWith("container:")) {
            access.controlContainer(mode.substring("container:".length()));
        } else if (!List.of("default", "bridge", "none", "host").contains(mode)) {
            access.readNetwork(mode);
        }
        ResourceLimits l = spec.limits();
        QuotaRules.ContainerLimits limits = quotas.forCreate(owner,
                new QuotaRules.ContainerLimits(l.memory(), l.nanoCpus(), l.pidsLimit()));
        return new ContainerSpec(spec.image(), spec.name(), spec.cmd(), spec.entrypoint(), spec.env(), spec.workingDir(), spec.user(),
                spec.hostname(), spec.tty(), spec.openStdin(), labels,
                new ResourceLimits(limits.memoryBytes(), limits.nanoCpus(), limits.pids()), spec.restartPolicy(), spec.mounts(),
                spec.networkMode(), spec.portBindings(), spec.autoRemove(), spec.stopSignal(), spec.stopTimeout());
    }

    /** The ports an image exposes, for {@code publishAll}; none when the image is unknown (create then says so). */
    private java.util.Set<String> exposedPorts(String image) {
        return images.resolve(image).map(dev.berth.engine.container.SourceImage::exposedPorts).orElse(java.util.Set.of());
    }

    @GET
    @Path("/{id}")
    public ObjectNode inspect(@PathParam("id") String id) {
        ContainerInspect c = access.readContainer(id);
        return withOwner(c, c.Config().Labels());
    }

    @POST
    @Path("/{id}/start")
    public Response start(@PathParam("id") String id) {
        String cid = access.controlContainer(id);
        quotas.start(access.requester(), cid, () -> {
            containers.start(cid);
            return null;
        });
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/stop")
    public Response stop(@PathParam("id") String id, @QueryParam("t") Integer timeout) {
        containers.stop(access.controlContainer(id), timeout);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/restart")
    public Response restart(@PathParam("id") String id, @QueryParam("t") Integer timeout) {
        String cid = access.controlContainer(id);
        quotas.start(access.requester(), cid, () -> {
            containers.restart(cid, timeout);
            return null;
        });
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/kill")
    public Response kill(@PathParam("id") String id, @QueryParam("signal") @DefaultValue("SIGKILL") String signal) {
        containers.kill(access.controlContainer(id), signal);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pause")
    public Response pause(@PathParam("id") String id) {
        containers.pause(access.controlContainer(id));
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/unpause")
    public Response unpause(@PathParam("id") String id) {
        containers.unpause(access.controlContainer(id));
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id, @QueryParam("force") @DefaultValue("false") boolean force,
            @QueryParam("v") @DefaultValue("true") boolean volumes) {
        containers.remove(access.controlContainer(id), force, volumes);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rename")
    public Response rename(@PathParam("id") String id, @QueryParam("name") String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest("name", "Give the new name as ?name=...");
        }
        containers.rename(access.controlContainer(id), name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/wait")
    @Blocking
    public CompletionStage<WaitResult> waitFor(@PathParam("id") String id, @QueryParam("condition") String condition) {
        return containers.waitFor(access.readContainer(id).Id(), condition).thenApply(WaitResult::new);
    }

    @GET
    @Path("/{id}/top")
    public TopResult top(@PathParam("id") String id, @QueryParam("ps_args") String psArgs) {
        return containers.top(access.readContainer(id).Id(), psArgs == null ? List.of() : List.of(psArgs.split("\\s+")));
    }

    /**
     * Logs as plain text (one line per entry, optionally prefixed with an RFC 3339 timestamp) or, with
     * {@code format=ndjson}, one JSON object per line: {@code {"time","stream","line"}}. {@code follow} keeps
     * the response open and streams new lines until the container stops.
     */
    @GET
    @Path("/{id}/logs")
    @Produces({MediaType.TEXT_PLAIN, "application/x-ndjson"})
    public Response logs(@PathParam("id") String id, @QueryParam("follow") @DefaultValue("false") boolean follow,
            @QueryParam("stdout") @DefaultValue("true") boolean stdout, @QueryParam("stderr") @DefaultValue("true") boolean stderr,
            @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("tail") @DefaultValue("all") String tail,
            @QueryParam("timestamps") @DefaultValue("false") boolean timestamps, @QueryParam("format") @DefaultValue("text") String format,
            @jakarta.ws.rs.core.Context io.vertx.ext.web.RoutingContext routing) {
        String cid = access.readContainer(id).Id(); // 404 before streaming starts
        boolean ndjson = "ndjson".equals(format);
        if (!ndjson && !"text".equals(format)) {
            throw ApiException.badRequest("format", "format must be text or ndjson.");
        }
        LogQuery query = new LogQuery(stdout, stderr, time("since", since), time("until", until), tail(tail), follow);
        StreamingOutput body = out -> {
            if (!follow) {
                containers.logs(cid, query, entry -> write(out, entry, ndjson, timestamps, false));
                return;
            }
            // A follow of a quiet container would only notice a client that left at its next line: the request
            // thread is released as soon as the connection ends instead.
            Thread reader = Thread.currentThread();
            AtomicBoolean streaming = new AtomicBoolean(true);
            routing.addEndHandler(ended -> {
                synchronized (streaming) {
                    if (streaming.get()) {
                        reader.interrupt();
                    }
                }
            });
            try {
                containers.logs(cid, query, entry -> write(out, entry, ndjson, timestamps, true));
            } finally {
                synchronized (streaming) {
                    streaming.set(false);
                    Thread.interrupted(); // never hand an interrupted thread back to the pool
                }
            }
        };
        return Response.ok(body, ndjson ? "application/x-ndjson" : MediaType.TEXT_PLAIN + ";charset=utf-8").build();
    }

    private boolean write(OutputStream out, LogEntry e, boolean ndjson, boolean timestamps, boolean flush) {
        try {
            if (ndjson) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("time", e.time().toString());
                line.put("stream", e.stream() == LogEntry.Stream.STDERR ? "stderr" : "stdout");
                line.put("line", e.text());
                out.write(json.writeValueAsBytes(line));
                out.write('\n');
            } else {
                if (timestamps) {
                    out.write((e.time().toString() + " ").getBytes(StandardCharsets.UTF_8));
                }
                out.write(e.data());
            }
            if (flush) {
                out.flush();
            }
            return true;
        } catch (IOException ex) {
            return false; // the client went away
        }
    }

    static Instant time(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.matches("^\\d+(\\.\\d+)?$")) {
                double seconds = Double.parseDouble(value);
                return Instant.ofEpochSecond((long) seconds, (long) ((seconds - Math.floor(seconds)) * 1e9));
            }
            return Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest(field, "'" + field + "' must be a Unix time in seconds or an RFC 3339 time, not '" + value + "'.");
        }
    }

    static int tail(String tail) {
        if (tail == null || tail.equals("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(tail);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("tail", "'tail' must be 'all' or a number of lines (0 or more), not '" + tail + "'.");
        }
    }

    /** Stats once ({@code stream=false}, the default) or every second as NDJSON until the container stops. */
    @GET
    @Path("/{id}/stats")
    @Produces({MediaType.APPLICATION_JSON, "application/x-ndjson"})
    public Response stats(@PathParam("id") String idOrName, @QueryParam("stream") @DefaultValue("false") boolean stream) {
        String id = access.readContainer(idOrName).Id();
        if (!stream) {
            return Response.ok(containers.stats(id), MediaType.APPLICATION_JSON).build();
        }
        ContainerStats first = containers.stats(id);
        StreamingOutput body = out -> {
            ContainerStats s = first;
            while (true) {
                out.write(json.writeValueAsBytes(s));
                out.write('\n');
                out.flush();
                try {
                    Thread.sleep(1000);
                    s = containers.stats(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (EngineException e) {
                    return; // stopped or removed
                }
            }
        };
        return Response.ok(body, "application/x-ndjson").build();
    }

    /** Copies a file or directory out of the container as a tar stream (links stay inside the container). */
    @GET
    @Path("/{id}/archive")
    @Produces("application/x-tar")
    public Response archiveGet(@PathParam("id") String id, @QueryParam("path") String path) {
        requirePath(path);
        // resolve before streaming so a missing path is a clean 404
        id = access.readContainer(id).Id();
        java.nio.file.Path tmp;
        try {
            tmp = java.nio.file.Files.createTempFile("berth-archive-", ".tar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
            containers.copyOut(id, path, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        StreamingOutput body = out -> {
            try (InputStream in = java.nio.file.Files.newInputStream(tmp)) {
                in.transferTo(out);
            } finally {
                deleteQuietly(tmp);
            }
        };
        return Response.ok(body, "application/x-tar").build();
    }

    private static void deleteQuietly(java.nio.file.Path p) {
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // temp file
        }
    }

    /** Extracts a tar stream into an existing directory of the container. */
    @PUT
    @Path("/{id}/archive")
    @Consumes({"application/x-tar", MediaType.APPLICATION_OCTET_STREAM})
    public Response archivePut(@PathParam("id") String id, @QueryParam("path") String path, InputStream body) {
        requirePath(path);
        containers.copyIn(access.controlContainer(id), path, body);
        return Response.ok().build();
    }

    private static void requirePath(String path) {
        if (path == null || path.isBlank()) {
            throw new SpecValidator.InvalidField("path", "Give the path inside the container as ?path=/some/path.");
        }
    }

    static List<String> nonNull(List<String> l) {
        return l == null ? new ArrayList<>() : l;
    }
}
