package dev.berth.web.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.classroom.ClassService;
import dev.berth.classroom.ClassTemplate;
import dev.berth.classroom.Classroom;
import dev.berth.web.ApiException;
import dev.berth.web.workspace.WorkspaceViews.WorkspaceView;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code /api/classes}: a trainer's classes. Any account (admin or user) may train: it sees and runs its own
 * classes, admins all; guests none. Creating a class answers its join link once ({@code joinUrl}); a new link can
 * be made, which ends the old one.
 */
@Authenticated
@Path("/classes")
@Produces(MediaType.APPLICATION_JSON)
public class ClassResource {

    public record CreateClass(String name, String image, List<String> cmd, List<String> ports, Long memoryBytes,
            Long nanoCpus, Long pidsLimit, Long ttlSeconds) {
    }

    public record ClassView(long id, String name, String trainer, String image, List<String> cmd, List<String> ports,
            long memoryBytes, long nanoCpus, long pidsLimit, long ttlSeconds, Instant createdAt, int attendees) {
    }

    /** Answered once, at creation and for a new link: the link with its secret token. */
    public record ClassWithLink(ClassView classroom, String joinUrl, String joinPath) {
    }

    public record ClassDetail(ClassView classroom, List<WorkspaceView> attendees) {
    }

    /** {@code workspaceIds} null or absent: every attendee. {@code enter} (default true) adds a carriage return. */
    public record Push(String text, List<String> workspaceIds, Boolean enter) {
    }

    public record Pushed(List<ClassService.PushResult> results) {
    }

    @Inject
    ClassService classes;
    @Inject
    dev.berth.workspace.WorkspaceService workspaces;
    @Inject
    SecurityIdentity identity;
    @Inject
    dev.berth.audit.AuditLog audit;
    @Inject
    HttpServerRequest request;

    @ConfigProperty(name = "berth.public-url")
    Optional<String> publicUrl;
    @ConfigProperty(name = "berth.workspace.default-ttl", defaultValue = "PT1H")
    java.time.Duration defaultTtl;

    @GET
    public List<ClassView> list() {
        trainerOnly();
        return classes.list(identity.hasRole("admin") ? null : me()).stream().map(this::view).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateClass b) {
        trainerOnly();
        if (b == null) throw ApiException.badRequest("name", "Send the class as JSON: {\"name\", \"image\", \"cmd\", \"ttlSeconds\", ...}.");
        ClassService.Created created = classes.create(me(), new ClassTemplate(b.name(), b.image(), b.cmd(), b.ports(),
                nz(b.memoryBytes()), nz(b.nanoCpus()), nz(b.pidsLimit()),
                b.ttlSeconds() == null ? defaultTtl.toSeconds() : b.ttlSeconds()));
        audit.record(me(), "class.create", "class " + created.classroom().id, "\"" + created.classroom().name + "\", image "
                + created.classroom().image + ", time-to-live " + created.classroom().ttlSeconds + " s");
        return Response.status(201).entity(withLink(created.classroom(), created.token())).build();
    }

    @GET
    @Path("/{id}")
    public ClassDetail get(@PathParam("id") long id) {
        Classroom c = mine(id);
        List<dev.berth.workspace.LiveWorkspace> attendees = classes.attendees(id);
        // after a restart terminals are not open yet: open them so the thumbnails can connect (a map lookup when open)
        for (var w : attendees) for (String container : w.containers()) workspaces.terminalOf(container, w.owner());
        return new ClassDetail(view(c), attendees.stream().map(WorkspaceViews::of).toList());
    }

    @POST
    @Path("/{id}/link")
    public ClassWithLink newLink(@PathParam("id") long id) {
        Classroom c = mine(id);
        return withLink(c, classes.rotateLink(c.id));
    }

    @POST
    @Path("/{id}/push")
    @Consumes(MediaType.APPLICATION_JSON)
    public Pushed push(@PathParam("id") long id, Push body) {
        Classroom c = mine(id);
        if (body == null || body.text() == null || body.text().isEmpty()) {
            throw ApiException.badRequest("text", "Give the command to type, e.g. {\"text\": \"ls -l\"}.");
        }
        if (body.text().length() > 4096) {
            throw ApiException.badRequest("text", "A pushed command has at most 4096 characters.");
        }
        String text = Boolean.FALSE.equals(body.enter()) ? body.text() : body.text() + "\r";
        List<ClassService.PushResult> results = classes.push(c.id, body.workspaceIds(), me(), text);
        for (ClassService.PushResult r : results) {
            if (r.terminalId() != null && r.result().equals("accepted")) {
                audit.record(me(), "terminal.input", r.terminalId(), "pushed to class " + c.id + ": " + printable(text));
            }
        }
        return new Pushed(results);
    }

    @DELETE
    @Path("/{id}")
    public Response end(@PathParam("id") long id) {
        Classroom c = mine(id);
        classes.end(c.id);
        return Response.noContent().build();
    }

    private Classroom mine(long id) {
        trainerOnly();
        return classes.find(id).filter(c -> identity.hasRole("admin") || c.trainer.equals(me()))
                .orElseThrow(() -> ApiException.notFound("not_found", "class " + id + " does not exist or is not yours"));
    }

    private void trainerOnly() {
        if (identity.hasRole("guest")) {
            throw ApiException.forbidden("Only accounts run classes; guests join them through the class link.");
        }
    }

    private ClassWithLink withLink(Classroom c, String token) {
        String path = "class/" + token;
        return new ClassWithLink(view(c), base() + path, path);
    }

    /** The console's base URL: berth.public-url, else the scheme and host the request came to. */
    private String base() {
        String url = publicUrl.filter(u -> !u.isBlank()).orElseGet(() -> {
            String scheme = Optional.ofNullable(request.getHeader("X-Forwarded-Proto")).orElse(request.scheme());
            String host = Optional.ofNullable(request.getHeader("X-Forwarded-Host")).orElse(request.host());
            return scheme + "://" + host + "/";
        });
        return url.endsWith("/") ? url : url + "/";
    }

    private ClassView view(Classroom c) {
        return new ClassView(c.id, c.name, c.trainer, c.image, ClassService.strings(c.cmd), ClassService.strings(c.ports),
                c.memoryBytes, c.nanoCpus, c.pidsLimit, c.ttlSeconds, c.createdAt, classes.attendees(c.id).size());
    }

    private String me() {
        return identity.getPrincipal().getName();
    }

    /** The pushed text with control characters escaped, as the terminal audit shows input. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '\r') b.append("\\r");
            else if (ch == '\n') b.append("\\n");
            else if (ch < 0x20 || ch == 0x7f) b.append(String.format("\\x%02x", (int) ch));
            else b.append(ch);
        }
        return b.toString();
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

}
