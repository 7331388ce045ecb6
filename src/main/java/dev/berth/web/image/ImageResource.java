package dev.berth.web.image;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
import jakarta.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.berth.engine.image.ImageDetails;
import dev.berth.engine.image.ImagePull;
import dev.berth.engine.image.ImageReference;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.ImageSummary;
import dev.berth.web.ApiException;
import dev.berth.web.ownership.PullPermission;
import jakarta.annotation.security.RolesAllowed;

/**
 * Images over REST. Pull progress streams as NDJSON (one {@link ImagePull.Event} per line, the last one with
 * status {@code complete} or {@code failed}); any number of clients can follow a pull at
 * {@code GET /api/images/pulls/{id}/events}.
 */
@Path("/images")
@RolesAllowed({"admin", "user"})
@Produces(MediaType.APPLICATION_JSON)
public class ImageResource {
    static final String NDJSON = "application/x-ndjson";

    @Inject
    ImageStore images;

    @Inject
    ObjectMapper json;

    @Inject
    PullPermission permission;

    public record PullRequest(String reference) {
    }

    public record TagRequest(String source, String target) {
    }

    public record PullInfo(String id, String reference, boolean done, List<ImagePull.Event> state) {
    }

    public record Loaded(List<String> loaded) {
    }

    public record Search(String registry, List<String> repositories) {
    }

    @GET
    public List<ImageSummary> list() {
        return images.list();
    }

    /** Starts a pull (or joins the running pull of the same reference) and streams its progress. */
    @POST
    @Path("/pull")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(NDJSON)
    public Response pull(PullRequest request) {
        if (request == null || request.reference() == null || request.reference().isBlank()) {
            throw ApiException.badRequest("reference", "Give the image to pull, e.g. {\"reference\": \"busybox\"}.");
        }
        ImageReference.parse(request.reference());
        permission.require("pull");
        ImagePull pull = images.pull(request.reference());
        return Response.ok(stream(pull), NDJSON).header("X-Berth-Pull-Id", pull.id()).build();
    }

    @GET
    @Path("/pulls")
    public List<PullInfo> pulls() {
        return images.pulls().stream().map(p -> new PullInfo(p.id(), p.reference(), p.done(), p.snapshot())).toList();
    }

    @GET
    @Path("/pulls/{id}/events")
    @Produces(NDJSON)
    public Response pullEvents(@PathParam("id") String id) {
        ImagePull pull = images.pullById(id).orElseThrow(() -> ApiException.notFound("pull_not_found",
                "No pull with id '" + id + "' is running or finished recently."));
        return Response.ok(stream(pull), NDJSON).build();
    }

    private StreamingOutput stream(ImagePull pull) {
        return out -> {
            try (ImagePull.Events events = pull.events()) {
                while (true) {
                    ImagePull.Event e = events.next(15, TimeUnit.SECONDS);
                    if (e == null) {
                        out.write('\n'); // keep-alive for proxies; an empty line is skipped by NDJSON readers
                        out.flush();
                        continue;
                    }
                    out.write(json.writeValueAsBytes(e));
                    out.write('\n');
                    out.flush();
                    if (e.terminal()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @GET
    @Path("/search")
    public Search search(@QueryParam("registry") String registry, @QueryParam("term") @DefaultValue("") String term) {
        if (registry == null || registry.isBlank()) {
            throw ApiException.badRequest("registry", "Give the registry to search, e.g. ?registry=registry.example:5000.");
        }
        return new Search(registry, images.search(registry, term));
    }

    @POST
    @Path("/tag")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response tag(TagRequest request) {
        if (request == null || request.source() == null || request.target() == null) {
            throw ApiException.badRequest("target", "Give {\"source\": image, \"target\": \"name:tag\"}.");
        }
        permission.require("tag");
        images.tag(request.source(), request.target());
        return Response.status(201).entity(Map.of("tagged", ImageReference.parse(request.target()).toString())).build();
    }

    /** Loads a {@code docker save} tarball or an OCI layout tar sent as the request body. */
    @POST
    @Path("/import")
    @Consumes({"application/x-tar", MediaType.APPLICATION_OCTET_STREAM})
    public Loaded importArchive(InputStream body) {
        permission.require("import");
        return new Loaded(images.importArchive(body));
    }

    /** Downloads the named images as one tar (a docker save archive that is also an OCI image layout). */
    @GET
    @Path("/export")
    @Produces("application/x-tar")
    public Response export(@QueryParam("ref") List<String> refs) {
        if (refs == null || refs.isEmpty()) {
            throw ApiException.badRequest("ref", "Name at least one image to export: ?ref=busybox&ref=...");
        }
        refs.forEach(r -> images.find(r).orElseThrow(() -> ApiException.notFound("image_not_found",
                "Image '" + r + "' is not present locally.")));
        StreamingOutput body = (OutputStream out) -> images.exportArchive(refs, out);
        String file = refs.size() == 1 ? refs.get(0).replaceAll("[^A-Za-z0-9._-]+", "_") : "images";
        return Response.ok(body, "application/x-tar")
                .header("Content-Disposition", "attachment; filename=\"" + file + ".tar\"").build();
    }

    @GET
    @Path("/{ref: .+}")
    public ImageDetails inspect(@PathParam("ref") String ref) {
        return images.inspect(ref);
    }

    @DELETE
    @Path("/{ref: .+}")
    public ImageStore.RemoveResult remove(@PathParam("ref") String ref, @QueryParam("force") boolean force) {
        permission.require("remove");
        return images.remove(ref, force);
    }
}
