package dev.berth.web.workspace;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.classroom.ClassService;
import dev.berth.engine.container.ImageStoreSource;
import dev.berth.web.ApiException;
import dev.berth.web.workspace.WorkspaceViews.WorkspaceView;
import dev.berth.workspace.CapacityGuard;
import dev.berth.workspace.LiveWorkspace;
import dev.berth.workspace.WorkspaceService;
import dev.berth.workspace.WorkspaceTemplate;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;

/**
 * {@code /api/workspaces}: a person's workspaces, each with a time-to-live that starts again on activity and an
 * {@code expiresAt} countdown; the capacity of the host. Owners, admins and (for class workspaces) the class's
 * trainer see and end a workspace; others get 404.
 */
@Authenticated
@Path("/workspaces")
@Produces(MediaType.APPLICATION_JSON)
public class WorkspaceResource {

    /** A new workspace, optionally with a first container ({@code image} given) from a template. */
    public record CreateWorkspace(String name, Long ttlSeconds, String image, List<String> cmd, List<String> ports,
            Long memoryBytes, Long nanoCpus, Long pidsLimit) {
    }

    public record CapacityLimits(Integer maxActive, Long minFreeMemoryBytes) {
    }

    @Inject
    WorkspaceService workspaces;
    @Inject
    ClassService classes;
    @Inject
    ImageStoreSource images;
    @Inject
    SecurityIdentity identity;
    @Inject
    dev.berth.audit.AuditLog audit;

    @ConfigProperty(name = "berth.workspace.default-ttl", defaultValue = "PT1H")
    Duration defaultTtl;

    @GET
    public List<WorkspaceView> list() {
        boolean admin = identity.hasRole("admin");
        String me = me();
        return workspaces.all().stream()
                .filter(w -> admin || w.owner().equals(me))
                .sorted(java.util.Comparator.comparing(LiveWorkspace::createdAt))
                .map(WorkspaceViews::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateWorkspace body) {
        if (identity.hasRole("guest")) {
            throw ApiException.forbidden("Guests of a class get their workspace from the class link; sign in with an account to create others.");
        }
        CreateWorkspace b = body == null ? new CreateWorkspace(null, null, null, null, null, null, null, null) : body;
        Duration ttl = b.ttlSeconds() == null ? defaultTtl : Duration.ofSeconds(b.ttlSeconds());
        try {
            workspaces.checkTtl(ttl);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("ttlSeconds", e.getMessage());
        }
        boolean withContainer = b.image() != null && !b.image().isBlank();
        if (withContainer && images.store().find(b.image().strip()).isEmpty()) {
            throw ApiException.badRequest("image", "The image '" + b.image().strip() + "' is not on this host: pull or import it first.");
        }
        long memory = b.memoryBytes() == null ? 0 : b.memoryBytes();
        if (b.name() != null && b.name().length() > 128) {
            throw ApiException.badRequest("name", "A workspace name has at most 128 characters.");
        }
        LiveWorkspace w = workspaces.create(me(), b.name(), null, ttl, memory);
        audit.record(me(), "workspace.create", w.id(), (w.displayName().equals(me()) ? "" : "\"" + w.displayName() + "\", ")
                + "time-to-live " + ttl.toSeconds() + " s" + (withContainer ? ", image " + b.image().strip() : ""));
        if (withContainer) {
            try {
                workspaces.run(w, new WorkspaceTemplate(b.image().strip(), b.cmd(), b.ports(), memory,
                        b.nanoCpus() == null ? 0 : b.nanoCpus(), b.pidsLimit() == null ? 0 : b.pidsLimit()));
            } catch (RuntimeException e) {
                workspaces.remove(w.id(), "failed to start");
                throw e;
            }
        }
        return Response.status(201).entity(WorkspaceViews.of(w)).build();
    }

    @GET
    @Path("/capacity")
    public CapacityGuard.Capacity capacity() {
        return workspaces.capacity();
    }

    /** Admins change the limits at run time (until the next restart; the configuration keys are the lasting way). */
    @PUT
    @Path("/capacity")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    public CapacityGuard.Capacity setCapacity(CapacityLimits limits) {
        CapacityGuard.Capacity now = workspaces.capacity();
        try {
            workspaces.guard().setLimits(limits == null || limits.maxActive() == null ? now.maxActive() : limits.maxActive(),
                    limits == null || limits.minFreeMemoryBytes() == null ? now.minFreeMemoryBytes() : limits.minFreeMemoryBytes());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage().startsWith("maxActive") ? "maxActive" : "minFreeMemoryBytes", e.getMessage());
        }
        return workspaces.capacity();
    }

    @GET
    @Path("/{id}")
    public WorkspaceView get(@PathParam("id") String id) {
        return WorkspaceViews.of(visible(id));
    }

    /** Activity without typing (the countdown's "keep it" button): the time-to-live starts again. */
    @POST
    @Path("/{id}/keepalive")
    public WorkspaceView keepAlive(@PathParam("id") String id) {
        LiveWorkspace w = visible(id);
        workspaces.touch(w.id());
        return WorkspaceViews.of(w);
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") String id) {
        LiveWorkspace w = visible(id);
        workspaces.remove(w.id(), "ended by " + me());
        return Response.noContent().build();
    }

    private LiveWorkspace visible(String id) {
        return workspaces.find(id).filter(this::mayUse)
                .orElseThrow(() -> ApiException.notFound("not_found", "workspace " + id + " does not exist or is not yours"));
    }

    private boolean mayUse(LiveWorkspace w) {
        String me = me();
        return identity.hasRole("admin") || w.owner().equals(me)
                || (w.classId() != null && classes.trainerOf(w.classId()).map(me::equals).orElse(false));
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
