package dev.berth.web.workspace;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.classroom.ClassGuest;
import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.sharing.Guests;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.container.BusyboxImageArchive;
import dev.berth.web.sharing.SharingHousekeeping;
import dev.berth.workspace.WorkspaceService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Workspaces and classes over the real server and the real engine: TTL expiry removes a workspace and its
 * containers, activity (REST and terminal) restarts the TTL, the capacity guard refuses with a clear message, a
 * class link gives each attendee (guest or account) one workspace, the trainer owns the attendees' terminals, and a
 * pushed command reaches every attendee terminal.
 */
@QuarkusTest
public class WorkspaceAndClassTest {
    public static final String IMAGE = "berth-test/busybox:classes";

    @TestHTTPResource("/")
    URI base;
    @Inject
    ImageStoreSource source;
    @Inject
    TerminalRegistry terminals;
    @Inject
    WorkspaceService workspaces;
    @Inject
    SharingHousekeeping housekeeping;

    private final List<String> workspaceIds = new ArrayList<>();
    private final List<Long> classIds = new ArrayList<>();
    private final List<TerminalWs> sockets = new ArrayList<>();

    @BeforeEach
    void image() throws Exception {
        importImage(source);
    }

    public static void importImage(ImageStoreSource source) throws Exception {
        ImageStore images = source.store();
        if (images.find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-class-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    @AfterEach
    void cleanUp() {
        sockets.forEach(TerminalWs::abort);
        for (Long id : classIds) admin().delete("/api/classes/" + id);
        for (String id : workspaceIds) admin().delete("/api/workspaces/" + id);
        admin().contentType(ContentType.JSON).body(Map.of("maxActive", 100, "minFreeMemoryBytes", 268435456L))
                .put("/api/workspaces/capacity").then().statusCode(200);
    }

    static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-admin-password");
    }

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "password-of-" + user);
    }

    static String newUser(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    private String workspace(long ttlSeconds) {
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("name", "ttl test", "ttlSeconds", ttlSeconds, "image", IMAGE, "cmd", List.of("sh")))
                .post("/api/workspaces").then().statusCode(201)
                .body("expiresAt", notNullValue()).body("containers", hasSize(1))
                .extract().path("id");
        workspaceIds.add(id);
        return id;
    }

    @Test
    void anExpiredWorkspaceIsRemovedWithItsContainers() {
        String id = workspace(2);
        String container = admin().get("/api/workspaces/" + id).then().statusCode(200)
                .body("ttlSeconds", equalTo(2)).extract().path("containers[0]");
        admin().get("/api/containers/" + container).then().statusCode(200)
                .body("Config.Labels.'dev.berth.workspace'", equalTo(id));

        await("the reaper to remove the workspace", () -> admin().get("/api/workspaces/" + id).statusCode() == 404);
        admin().get("/api/containers/" + container).then().statusCode(404);
        assertThat(terminals.find(container)).isEmpty();
        admin().get("/api/workspaces").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        admin().queryParam("action", "workspace.create").queryParam("target", id).get("/api/audit").then().statusCode(200)
                .body("entries.actor", equalTo(List.of("admin")));
        admin().queryParam("action", "workspace.expire").queryParam("target", id).get("/api/audit").then().statusCode(200)
                .body("entries", hasSize(1)).body("entries[0].actor", equalTo("system"));
    }

    @Test
    void restUseAndTerminalTrafficStartTheTimeToLiveAgain() throws Exception {
        String id = workspace(4);
        ExtractableResponse<Response> first = admin().get("/api/workspaces/" + id).then().extract();
        Instant expires0 = Instant.parse(first.path("expiresAt"));
        String container = first.path("containers[0]");

        Thread.sleep(1100);
        admin().get("/api/containers/" + container).then().statusCode(200); // REST use of its container
        Instant expires1 = Instant.parse(admin().get("/api/workspaces/" + id).then().extract().path("expiresAt"));
        assertThat(expires1).isAfter(expires0);

        // terminal traffic: the owner types; the reaper's next pass notices the output and restarts the TTL
        TerminalWs owner = TerminalWs.connect(base, container, null, basicAuth("admin", "test-admin-password"), null);
        sockets.add(owner);
        await("hello", () -> owner.role() != null);
        Thread.sleep(1100);
        owner.type("echo ALIVE$((20+1))\r");
        await("typed output", () -> terminals.find(container).map(h -> h.screenText().contains("ALIVE21")).orElse(false));
        await("the TTL to restart from the terminal traffic", () ->
                Instant.parse(admin().get("/api/workspaces/" + id).then().extract().path("expiresAt")).isAfter(expires1));

        // kept alive past its 4 s TTL by typing every second
        Instant created = Instant.parse(first.path("createdAt"));
        while (Instant.now().isBefore(created.plusSeconds(7))) {
            owner.type("echo tick\r");
            Thread.sleep(700);
        }
        admin().get("/api/workspaces/" + id).then().statusCode(200);
    }

    @Test
    void theCapacityGuardRefusesNewWorkspacesWhenTheHostIsFull() {
        workspace(600); // at least one: a limit of 0 means none
        int active = admin().get("/api/workspaces/capacity").then().statusCode(200).extract().path("active");
        admin().contentType(ContentType.JSON).body(Map.of("maxActive", active))
                .put("/api/workspaces/capacity").then().statusCode(200).body("maxActive", equalTo(active));

        admin().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 60)).post("/api/workspaces").then().statusCode(503)
                .body("error", equalTo("host_full")).body("field", equalTo("maxActive"))
                .body("message", startsWith("This host is full: " + active + " of " + active + " workspaces are in use"));

        // memory: ask the guard to keep more free than any host has
        admin().contentType(ContentType.JSON).body(Map.of("maxActive", 0, "minFreeMemoryBytes", 1L << 50))
                .put("/api/workspaces/capacity").then().statusCode(200);
        admin().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 60)).post("/api/workspaces").then().statusCode(503)
                .body("error", equalTo("host_full")).body("field", equalTo("minFreeMemory"))
                .body("message", containsString("of memory is available and Berth keeps 1073741824 MiB free"));

        // a class link refuses the same way
        String trainer = newUser("trainer");
        String token = createClass(trainer, "Full class");
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Late")).post("/api/classes/join/" + token)
                .then().statusCode(503).body("error", equalTo("host_full"));

        admin().contentType(ContentType.JSON).body(Map.of("maxActive", 100, "minFreeMemoryBytes", 0))
                .put("/api/workspaces/capacity").then().statusCode(200);
        admin().contentType(ContentType.JSON).body(Map.of("ttlSeconds", 60)).post("/api/workspaces").then().statusCode(201);
        // only admins change the limits
        as(trainer).contentType(ContentType.JSON).body(Map.of("maxActive", 1)).put("/api/workspaces/capacity").then().statusCode(403);
        workspaceIds.addAll(admin().get("/api/workspaces").then().extract().<List<String>>path("id"));
    }

    private String createClass(String trainer, String name) {
        ExtractableResponse<Response> created = as(trainer).contentType(ContentType.JSON)
                .body(Map.of("name", name, "image", IMAGE, "cmd", List.of("sh"), "ttlSeconds", 600, "memoryBytes", 64L << 20))
                .post("/api/classes").then().statusCode(201)
                .body("classroom.trainer", equalTo(trainer)).body("joinPath", startsWith("class/"))
                .extract();
        classIds.add(((Number) created.path("classroom.id")).longValue());
        String joinPath = created.path("joinPath");
        assertThat((String) created.path("joinUrl")).endsWith("/" + joinPath);
        return joinPath.substring("class/".length());
    }

    record Guest(String cookie, String csrf, String principal, String terminal, String workspace) {
    }

    private Guest join(String token, String name) {
        ExtractableResponse<Response> r = given().contentType(ContentType.JSON).body(Map.of("displayName", name))
                .post("/api/classes/join/" + token).then().statusCode(201)
                .body("displayName", equalTo(name)).body("principal", startsWith("guest:" + name + "#"))
                .body("workspace.expiresAt", notNullValue()).extract();
        return new Guest(r.cookie("berth_session"), r.path("csrfToken"), r.path("principal"), r.path("terminalId"), r.path("workspace.id"));
    }

    @Test
    void aClassLinkGivesEachAttendeeTheirOwnWorkspaceAndTheTrainerOwnsTheirTerminals() throws Exception {
        String trainer = newUser("trainer");
        String token = createClass(trainer, "Shell basics");
        long classId = classIds.get(classIds.size() - 1);

        given().get("/api/classes/join/" + token).then().statusCode(200)
                .body("name", equalTo("Shell basics")).body("trainer", equalTo(trainer)).body("needsName", equalTo(true));
        given().get("/api/classes/join/not-a-real-token-at-all").then().statusCode(404).body("error", equalTo("class_link_invalid"));
        given().contentType(ContentType.JSON).body(Map.of("displayName", "")).post("/api/classes/join/" + token)
                .then().statusCode(400).body("field", equalTo("displayName"));

        Guest ada = join(token, "Ada");
        given().cookie("berth_session", ada.cookie()).get("/api/session").then().statusCode(200)
                .body("role", equalTo("guest")).body("displayName", equalTo("Ada"));
        Guest bob = join(token, "Bob");
        assertThat(ada.workspace()).isNotEqualTo(bob.workspace());
        assertThat(ada.terminal()).isNotEqualTo(bob.terminal());

        admin().queryParam("action", "class.create").queryParam("actor", trainer).get("/api/audit").then()
                .body("entries.target", equalTo(List.of("class " + classId)));
        admin().queryParam("action", "class.join").queryParam("actor", ada.principal()).get("/api/audit").then()
                .body("entries[0].target", equalTo("class " + classId)).body("entries[0].detail", containsString(ada.workspace()));
        // a signed-in attendee joins as themselves
        String carol = newUser("carol");
        as(carol).contentType(ContentType.JSON).body(Map.of()).post("/api/classes/join/" + token).then().statusCode(201)
                .body("principal", equalTo(carol));
        // opening the link again brings Ada back to her workspace
        given().cookie("berth_session", ada.cookie()).header("X-CSRF-Token", ada.csrf()).contentType(ContentType.JSON)
                .body(Map.of()).post("/api/classes/join/" + token).then().statusCode(200)
                .body("workspace.id", equalTo(ada.workspace())).body("principal", equalTo(ada.principal()));

        as(trainer).get("/api/classes/" + classId).then().statusCode(200)
                .body("attendees", hasSize(3)).body("attendees.owner", org.hamcrest.Matchers.hasItems(ada.principal(), bob.principal(), carol))
                .body("classroom.attendees", equalTo(3));
        // another account sees neither the class nor its workspaces
        String other = newUser("other");
        as(other).get("/api/classes/" + classId).then().statusCode(404);
        as(other).get("/api/workspaces/" + ada.workspace()).then().statusCode(404);
        as(trainer).get("/api/workspaces/" + ada.workspace()).then().statusCode(200).body("owner", equalTo(ada.principal()));

        // the guest's session: their workspace and terminal, nothing else of Berth
        given().cookie("berth_session", ada.cookie()).get("/api/session").then().statusCode(200)
                .body("role", equalTo("guest")).body("displayName", equalTo("Ada"));
        given().cookie("berth_session", ada.cookie()).get("/api/workspaces").then().statusCode(200)
                .body("id", equalTo(List.of(ada.workspace())));
        given().cookie("berth_session", ada.cookie()).get("/api/containers").then().statusCode(403).body("error", equalTo("forbidden"));
        given().cookie("berth_session", ada.cookie()).get("/api/classes").then().statusCode(403);

        // terminals: the attendee and the trainer own it; the trainer can also just watch
        TerminalWs adaWs = socket(ada.terminal(), null, null, "berth_session=" + ada.cookie());
        TerminalWs trainerWs = socket(ada.terminal(), null, basicAuth(trainer, "password-of-" + trainer), null);
        TerminalWs thumbnail = socket(ada.terminal(), "as=viewer", basicAuth(trainer, "password-of-" + trainer), null);
        assertThat(adaWs.role()).isEqualTo("owner");
        assertThat(trainerWs.role()).isEqualTo("owner");
        assertThat(thumbnail.role()).isEqualTo("viewer");
        TerminalWs bobOnAda = socket(ada.terminal(), null, null, "berth_session=" + bob.cookie());
        assertThat(bobOnAda.role()).as("another attendee does not own Ada's terminal").isNotEqualTo("owner");

        trainerWs.type("echo TRAINER$((3*3))\r");
        await("the trainer's input in Ada's terminal",
                () -> terminals.find(ada.terminal()).map(h -> h.screenText().contains("TRAINER9")).orElse(false));

        // the sweep for guests whose session ended (every 30 s) leaves live attendees connected; once Ada's guest
        // session has expired, it closes her socket with "session ended"
        housekeeping.disconnectExpiredGuests();
        assertThat(attached(ada)).as("Ada after a sweep, her guest session live").isTrue();
        long adaGuest = Guests.sessionIdOf(ada.principal());
        QuarkusTransaction.requiringNew().run(() -> ClassGuest.update("expiresAt = ?1 where id = ?2", Instant.now().minusSeconds(1), adaGuest));
        assertThat(housekeeping.disconnectExpiredGuests()).isPositive();
        assertThat(attached(ada)).as("Ada after a sweep, her guest session expired").isFalse();
        await("Ada's socket closed with 4401", () -> adaWs.closeCode == 4401);

        // ending the class removes every attendee workspace and its containers
        List<String> containers = new ArrayList<>();
        for (String ws : List.of(ada.workspace(), bob.workspace())) {
            containers.addAll(workspaces.find(ws).orElseThrow().containers());
        }
        as(trainer).delete("/api/classes/" + classId).then().statusCode(204);
        classIds.remove(Long.valueOf(classId));
        for (String c : containers) admin().get("/api/containers/" + c).then().statusCode(404);
        given().get("/api/classes/join/" + token).then().statusCode(404);
    }

    @Test
    void aPushedCommandReachesEveryAttendeeTerminalOrTheChosenOne() {
        String trainer = newUser("trainer");
        String token = createClass(trainer, "Push class");
        long classId = classIds.get(classIds.size() - 1);
        Guest ada = join(token, "Ada");
        Guest bob = join(token, "Bob");

        as(trainer).contentType(ContentType.JSON).body(Map.of("text", "echo PUSHED$((40+2))"))
                .post("/api/classes/" + classId + "/push").then().statusCode(200)
                .body("results", hasSize(2)).body("results.result", equalTo(List.of("accepted", "accepted")));
        for (Guest g : List.of(ada, bob)) {
            await("the pushed command ran in " + g.principal(),
                    () -> terminals.find(g.terminal()).map(h -> h.screenText().contains("PUSHED42")).orElse(false));
        }

        // audited as the trainer's input on each terminal
        admin().queryParam("action", "terminal.input").queryParam("actor", trainer).queryParam("target", ada.terminal())
                .get("/api/audit").then().body("entries", hasSize(1))
                .body("entries[0].detail", equalTo("pushed to class " + classId + ": echo PUSHED$((40+2))\\r"));
        as(trainer).contentType(ContentType.JSON).body(Map.of("text", "echo ONLY$((5+5))BOB", "workspaceIds", List.of(bob.workspace())))
                .post("/api/classes/" + classId + "/push").then().statusCode(200)
                .body("results", hasSize(1)).body("results[0].attendee", equalTo("Bob"));
        await("the command ran in Bob's terminal",
                () -> terminals.find(bob.terminal()).map(h -> h.screenText().contains("ONLY10BOB")).orElse(false));
        assertThat(terminals.find(ada.terminal()).orElseThrow().screenText()).doesNotContain("ONLY10BOB");

        // attendees and strangers can't push
        given().cookie("berth_session", ada.cookie()).header("X-CSRF-Token", ada.csrf()).contentType(ContentType.JSON)
                .body(Map.of("text", "x")).post("/api/classes/" + classId + "/push").then().statusCode(403);
        as(newUser("other")).contentType(ContentType.JSON).body(Map.of("text", "x"))
                .post("/api/classes/" + classId + "/push").then().statusCode(404);
    }

    /** Whether the guest has a socket on their terminal. */
    private boolean attached(Guest guest) {
        return terminals.find(guest.terminal()).orElseThrow().clients().stream().anyMatch(c -> c.user().equals(guest.principal()));
    }

    private TerminalWs socket(String terminal, String query, String auth, String cookie) throws Exception {
        TerminalWs ws = TerminalWs.connect(base, terminal, query, auth, cookie);
        sockets.add(ws);
        await("hello or refusal on " + terminal, () -> ws.role() != null || ws.closeCode >= 0);
        return ws;
    }

    static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
