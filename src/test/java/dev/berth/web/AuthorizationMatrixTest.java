package dev.berth.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The authorization matrix: who may do what over REST and WebSocket, one row per (action, who) with the expected
 * HTTP status, against the real server and engine. Objects under test belong to OWNER; OTHER is another plain user
 * (their answer must be the same 404 a missing object gives), NOPULL a user whose account lacks the pull
 * permission, ANONYMOUS sends no credentials. Guests with a view or drive link (GUEST_VIEW, GUEST_DRIVE) to OWNER's
 * TTY terminal have rows too: outside that terminal (its WebSocket, GET /api/terminals[/{id}]) and GET /api/session
 * their guest cookie counts for nothing, so they get the anonymous 401 everywhere else. docs/permissions.md shows the same table.
 */
@QuarkusTest
class AuthorizationMatrixTest {
    private static final String IMAGE = "berth-test/busybox:matrix";
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String ADMIN_AUTH = basic("admin", "test-admin-password");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    enum Who { ADMIN, OWNER, OTHER, NOPULL, GUEST_VIEW, GUEST_DRIVE, ANONYMOUS }

    /** WebSocket outcomes, in the status column: opened, or closed by the server with this code. */
    static final int WS_OPENED = 101;
    static final int WS_NO_SUCH_TERMINAL = 4404;

    @TestHTTPResource("/")
    URI base;
    @Inject
    ImageStoreSource source;
    @Inject
    TerminalRegistry registry;

    /** Objects of OWNER (and one of OTHER) that the rows act on; created once, fresh ones per destructive row. */
    static final class Fixture {
        String owner = "mx-owner-" + SUFFIX;
        String other = "mx-other-" + SUFFIX;
        String nopull = "mx-nopull-" + SUFFIX;
        String running;   // OWNER's running TTY container (sh)
        String stopped;   // OWNER's created, never started container
        String othersContainer;
        String volume;
        String network;
        String terminal;  // the TTY terminal of `running`
        final List<String> containers = new ArrayList<>();
        final List<String> volumes = new ArrayList<>();
        final List<String> networks = new ArrayList<>();
        final List<String> images = new ArrayList<>();
    }

    static Fixture fx;
    /** The server's address, for the cleanup after all tests (RestAssured's default port is reset by then). */
    static String serverUri;

    /** One row: the action, who does it, what they must get. {@code call} receives the caller's request. */
    record Case(String area, String action, Who who, Set<Integer> expected, Function<RequestSpecification, Integer> call) {
        String row() {
            return String.format("%-10s | %-58s | %-11s | %s", area, action, who, expected.stream().map(String::valueOf)
                    .collect(Collectors.joining("/")));
        }
    }

    private final List<Case> rows = new ArrayList<>();

    // ---------------------------------------------------------------------------------------------- the table

    private void table() {
        // images: host-wide; reading is for every account, changing needs the pull permission
        row("images", "GET /api/images", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/images").statusCode());
        row("images", "GET /api/images/{ref}", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/images/" + IMAGE).statusCode());
        row("images", "GET /api/images/export?ref=", all(200, 200, 200, 200, 401, 401, 401),
                r -> r.queryParam("ref", IMAGE).get("/api/images/export").statusCode());
        row("images", "POST /api/images/pull (a registry on 127.0.0.1:9)", all(200, 200, 200, 403, 401, 401, 401),
                r -> r.contentType(ContentType.JSON).body(Map.of("reference", "127.0.0.1:9/nothing/here:1"))
                        .post("/api/images/pull").statusCode());
        row("images", "POST /api/images/tag", all(201, 201, 201, 403, 401, 401, 401), r -> {
            String target = "mx-tag/" + UUID.randomUUID().toString().substring(0, 8) + ":1";
            fx.images.add(target);
            return r.contentType(ContentType.JSON).body(Map.of("source", IMAGE, "target", target)).post("/api/images/tag").statusCode();
        });
        row("images", "DELETE /api/images/{ref} (a fresh tag)", all(200, 200, 200, 403, 401, 401, 401), r -> {
            String tag = freshTag();
            return r.delete("/api/images/" + tag).statusCode();
        });
        row("images", "POST /api/images/import", all(200, 200, 200, 403, 401, 401, 401),
                r -> r.contentType("application/x-tar").body(archive).post("/api/images/import").statusCode());

        // containers of OWNER
        row("containers", "GET /api/containers", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/containers?all=true").statusCode());
        row("containers", "POST /api/containers", all(201, 201, 201, 201, 401, 401, 401), r -> {
            Response res = r.contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true"))).post("/api/containers");
            if (res.statusCode() == 201) {
                fx.containers.add(res.path("Id"));
            }
            return res.statusCode();
        });
        row("containers", "GET /api/containers/{id}", owned(200), r -> r.get("/api/containers/" + fx.running).statusCode());
        row("containers", "GET /api/containers/{name}", owned(200), r -> r.get("/api/containers/mx-running-" + SUFFIX).statusCode());
        row("containers", "GET /api/containers/{id}/logs", owned(200), r -> r.get("/api/containers/" + fx.running + "/logs").statusCode());
        row("containers", "GET /api/containers/{id}/stats", owned(200), r -> r.get("/api/containers/" + fx.running + "/stats").statusCode());
        row("containers", "GET /api/containers/{id}/top", owned(200), r -> r.get("/api/containers/" + fx.running + "/top").statusCode());
        row("containers", "GET /api/containers/{id}/archive?path=/etc", owned(200),
                r -> r.get("/api/containers/" + fx.running + "/archive?path=/etc").statusCode());
        row("containers", "POST /api/containers/{id}/wait?condition=not-running", owned(200),
                r -> r.post("/api/containers/" + fx.stopped + "/wait?condition=not-running").statusCode());
        row("containers", "POST /api/containers/{id}/start (fresh)", owned(204), fresh(false, id -> r -> r.post("/api/containers/" + id + "/start")));
        row("containers", "POST /api/containers/{id}/stop (fresh)", owned(204), fresh(true, id -> r -> r.post("/api/containers/" + id + "/stop?t=0")));
        row("containers", "POST /api/containers/{id}/restart (fresh)", owned(204), fresh(true, id -> r -> r.post("/api/containers/" + id + "/restart?t=0")));
        row("containers", "POST /api/containers/{id}/kill (fresh)", owned(204), fresh(true, id -> r -> r.post("/api/containers/" + id + "/kill")));
        row("containers", "POST /api/containers/{id}/pause (fresh)", owned(204), fresh(true, id -> r -> r.post("/api/containers/" + id + "/pause")));
        row("containers", "POST /api/containers/{id}/unpause (fresh, paused)", owned(204), fresh(true, id -> {
            given().header("Authorization", ADMIN_AUTH).post("/api/containers/" + id + "/pause").then().statusCode(204);
            return r -> r.post("/api/containers/" + id + "/unpause");
        }));
        row("containers", "POST /api/containers/{id}/rename (fresh)", owned(204),
                fresh(false, id -> r -> r.post("/api/containers/" + id + "/rename?name=mx-renamed-" + UUID.randomUUID().toString().substring(0, 8))));
        row("containers", "PUT /api/containers/{id}/archive?path=/tmp (fresh)", owned(200), fresh(true, id -> r -> r
                .contentType("application/x-tar").body(emptyTar()).put("/api/containers/" + id + "/archive?path=/tmp")));
        row("containers", "DELETE /api/containers/{id} (fresh)", owned(204), fresh(false, id -> r -> r.delete("/api/containers/" + id)));
        row("containers", "POST /api/containers/{id}/exec", owned(201), r -> {
            Response res = r.contentType(ContentType.JSON).body(Map.of("cmd", List.of("sh"))).post("/api/containers/" + fx.running + "/exec");
            if (res.statusCode() == 201) {
                registry.close(res.path("terminalId"), "matrix row done");
            }
            return res.statusCode();
        });
        row("containers", "POST /api/containers/{id}/terminal (already open)", owned(200),
                r -> r.post("/api/containers/" + fx.running + "/terminal").statusCode());
        row("containers", "POST /api/containers (networkMode container:<OWNER's>)", Map.of(Who.OWNER, Set.of(201), Who.OTHER, Set.of(404)), r -> {
            Response res = r.contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true"),
                    "networkMode", "container:" + fx.running)).post("/api/containers");
            if (res.statusCode() == 201) {
                fx.containers.add(res.path("Id"));
            }
            return res.statusCode();
        });
        row("containers", "POST /api/containers (OWNER's volume mounted)", Map.of(Who.OWNER, Set.of(201), Who.OTHER, Set.of(404)), r -> {
            Response res = r.contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true"),
                    "volumes", List.of(fx.volume + ":/data"))).post("/api/containers");
            if (res.statusCode() == 201) {
                fx.containers.add(res.path("Id"));
            }
            return res.statusCode();
        });

        // admin-only create options: 403 naming the option for users; admins get the option (or 400: not offered yet)
        adminOnly("binds", Map.of("binds", List.of("/tmp:/host-tmp")), 201);
        adminOnly("mounts", Map.of("mounts", List.of(Map.of("type", "bind", "source", "/tmp", "target", "/t"))), 201);
        adminOnly("networkMode", Map.of("networkMode", "host"), 201);
        adminOnly("privileged", Map.of("privileged", true), 400);
        adminOnly("capAdd", Map.of("capAdd", List.of("SYS_ADMIN")), 400);
        adminOnly("devices", Map.of("devices", List.of("/dev/kmsg")), 400);
        adminOnly("pidMode", Map.of("pidMode", "host"), 400);
        adminOnly("ipcMode", Map.of("ipcMode", "host"), 400);
        adminOnly("securityOpt", Map.of("securityOpt", List.of("seccomp=unconfined")), 400);

        // volumes of OWNER
        row("volumes", "GET /api/volumes", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/volumes").statusCode());
        row("volumes", "POST /api/volumes", all(201, 201, 201, 201, 401, 401, 401), r -> {
            String name = "mx-vol-" + UUID.randomUUID().toString().substring(0, 8);
            fx.volumes.add(name);
            return r.contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/volumes").statusCode();
        });
        row("volumes", "POST /api/volumes (OWNER's volume name)", Map.of(Who.OWNER, Set.of(201), Who.OTHER, Set.of(409)),
                r -> r.contentType(ContentType.JSON).body(Map.of("name", fx.volume)).post("/api/volumes").statusCode());
        row("volumes", "GET /api/volumes/{name}", owned(200), r -> r.get("/api/volumes/" + fx.volume).statusCode());
        row("volumes", "DELETE /api/volumes/{name} (fresh)", owned(204), r -> {
            String name = ownersVolume();
            return r.delete("/api/volumes/" + name).statusCode();
        });

        // networks of OWNER; the built-in bridge is host-wide
        row("networks", "GET /api/networks", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/networks").statusCode());
        row("networks", "GET /api/networks/bridge", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/networks/bridge").statusCode());
        row("networks", "GET /api/networks/{name}", owned(200), r -> r.get("/api/networks/" + fx.network).statusCode());
        row("networks", "POST /api/networks", all(201, 201, 201, 201, 401, 401, 401), r -> {
            String name = "mx-net-" + UUID.randomUUID().toString().substring(0, 8);
            Response res = r.contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/networks");
            if (res.statusCode() == 201) {
                fx.networks.add(name);
            }
            return res.statusCode();
        });
        row("networks", "DELETE /api/networks/{name} (fresh)", owned(204), r -> r.delete("/api/networks/" + ownersNetwork()).statusCode());
        row("networks", "DELETE /api/networks/bridge", Map.of(Who.OWNER, Set.of(403), Who.OTHER, Set.of(403), Who.ANONYMOUS, Set.of(401)),
                r -> r.delete("/api/networks/bridge").statusCode());
        row("networks", "POST /api/networks/{OWNER's}/connect OWNER's container", owned(200), r -> {
            int status = r.contentType(ContentType.JSON).body(Map.of("container", fx.running)).post("/api/networks/" + fx.network + "/connect")
                    .statusCode();
            if (status == 200) {
                given().header("Authorization", ADMIN_AUTH).contentType(ContentType.JSON).body(Map.of("container", fx.running))
                        .post("/api/networks/" + fx.network + "/disconnect").then().statusCode(204);
            }
            return status;
        });
        row("networks", "POST /api/networks/bridge/connect OWNER's container", Map.of(Who.OTHER, Set.of(404), Who.ANONYMOUS, Set.of(401)),
                r -> r.contentType(ContentType.JSON).body(Map.of("container", fx.running)).post("/api/networks/bridge/connect").statusCode());
        row("networks", "POST /api/networks/{OWNER's}/disconnect OWNER's container", Map.of(Who.OTHER, Set.of(404), Who.ANONYMOUS, Set.of(401)),
                r -> r.contentType(ContentType.JSON).body(Map.of("container", fx.running)).post("/api/networks/" + fx.network + "/disconnect")
                        .statusCode());

        // terminals: the container's owner owns its terminals; others see nothing unless shared
        row("terminals", "GET /api/terminals", all(200, 200, 200, 200, 200, 200, 401), r -> r.get("/api/terminals").statusCode());
        row("terminals", "GET /api/terminals/{OWNER's TTY}", Map.of(Who.ADMIN, Set.of(200), Who.OWNER, Set.of(200), Who.OTHER, Set.of(404),
                Who.GUEST_VIEW, Set.of(200), Who.GUEST_DRIVE, Set.of(200), Who.ANONYMOUS, Set.of(401)),
                r -> r.get("/api/terminals/" + fx.terminal).statusCode());
        row("terminals", "GET /api/terminals/{OWNER's TTY}/recordings", owned(200),
                r -> r.get("/api/terminals/" + fx.terminal + "/recordings").statusCode());
        row("terminals", "WS /ws/terminals/{OWNER's TTY}", Map.of(Who.ADMIN, Set.of(WS_OPENED), Who.OWNER, Set.of(WS_OPENED),
                Who.OTHER, Set.of(WS_NO_SUCH_TERMINAL), Who.GUEST_VIEW, Set.of(WS_OPENED), Who.GUEST_DRIVE, Set.of(WS_OPENED),
                Who.ANONYMOUS, Set.of(401)), null);

        // sharing: the owner (or an admin) shares; others learn nothing; guests are nobody here
        row("sharing", "GET /api/containers/{OWNER's}/grants", owned(200),
                r -> r.get("/api/containers/" + fx.running + "/grants").statusCode());
        row("sharing", "POST /api/terminals/{OWNER's TTY}/links", owned(201), r -> r.contentType(ContentType.JSON)
                .body(Map.of("role", "view", "maxUses", 1)).post("/api/terminals/" + fx.terminal + "/links").statusCode());
        row("sharing", "GET /api/terminals/{OWNER's TTY}/links", owned(200),
                r -> r.get("/api/terminals/" + fx.terminal + "/links").statusCode());

        // port links follow container access: OWNER reaches the container (nothing listens: 502), OTHER gets 404
        row("ports", "GET /ports/{OWNER's}/8080/", Map.of(Who.ADMIN, Set.of(502), Who.OWNER, Set.of(502), Who.OTHER, Set.of(404),
                Who.ANONYMOUS, Set.of(401)), r -> r.redirects().follow(false).get("/ports/" + fx.running + "/8080/").statusCode());

        // accounts, quotas, system: administration
        row("users", "GET /api/users", admins(200), r -> r.get("/api/users").statusCode());
        row("users", "POST /api/users", admins(201), r -> r.contentType(ContentType.JSON).body(Map.of("username",
                "mx-new-" + UUID.randomUUID().toString().substring(0, 8), "password", "a-long-password-1", "role", "user"))
                .post("/api/users").statusCode());
        row("users", "PATCH /api/users/{id} {mayPull}", admins(200), r -> r.contentType(ContentType.JSON).body(Map.of("mayPull", true))
                .patch("/api/users/" + userId(fx.other)).statusCode());
        row("quotas", "GET /api/quotas", admins(200), r -> r.get("/api/quotas").statusCode());
        row("quotas", "PUT /api/quotas/user/{name}", admins(200), r -> r.contentType(ContentType.JSON).body(Map.of())
                .put("/api/quotas/user/mx-nobody-" + SUFFIX).statusCode());
        row("quotas", "DELETE /api/quotas/user/{name} (none set)", admins(404), r -> r.delete("/api/quotas/user/mx-none-" + SUFFIX).statusCode());
        row("quotas", "GET /api/quotas/me", all(200, 200, 200, 200, 401, 401, 401), r -> r.get("/api/quotas/me").statusCode());
        row("system", "GET /api/system/info", admins(200), r -> r.get("/api/system/info").statusCode());
    }

    // ---------------------------------------------------------------------------------------------- row helpers

    private void row(String area, String action, Map<Who, Set<Integer>> expected, Function<RequestSpecification, Integer> call) {
        for (Who who : Who.values()) {
            Set<Integer> e = expected.get(who);
            if (e != null) {
                rows.add(new Case(area, action, who, e, call));
            }
        }
    }

    /** Expected statuses in {@link Who} order: ADMIN, OWNER, OTHER, NOPULL, GUEST_VIEW, GUEST_DRIVE, ANONYMOUS. */
    private static Map<Who, Set<Integer>> all(int... statuses) {
        Map<Who, Set<Integer>> m = new EnumMap<>(Who.class);
        for (Who w : Who.values()) {
            m.put(w, Set.of(statuses[w.ordinal()]));
        }
        return m;
    }

    /** An action on OWNER's object: the owner and admins succeed, other users get the 404 of a missing object. */
    private static Map<Who, Set<Integer>> owned(int success) {
        return all(success, success, 404, 404, 401, 401, 401);
    }

    private static Map<Who, Set<Integer>> admins(int success) {
        return all(success, 403, 403, 403, 401, 401, 401);
    }

    private void adminOnly(String option, Map<String, Object> extra, int adminStatus) {
        Map<Who, Set<Integer>> expected = all(adminStatus, 403, 403, 403, 401, 401, 401);
        row("options", "POST /api/containers {" + option + "} is admin-only", expected, r -> {
            Map<String, Object> body = new java.util.HashMap<>(Map.of("image", IMAGE, "cmd", List.of("true")));
            body.putAll(extra);
            Response res = r.contentType(ContentType.JSON).body(body).post("/api/containers");
            if (res.statusCode() == 201) {
                fx.containers.add(res.path("Id"));
            } else if (res.statusCode() == 403 && res.path("error").equals("forbidden")) {
                assertThat((String) res.path("field")).as("the 403 names the option").isEqualTo(option);
            }
            return res.statusCode();
        });
    }

    /**
     * A row acting on a fresh OWNER container (started when {@code running}), created only for callers that may act
     * on it; others act on the shared one (they must not change it).
     */
    private Function<RequestSpecification, Integer> fresh(boolean running,
            Function<String, Function<RequestSpecification, Response>> action) {
        return r -> {
            String id = ownersContainer(running);
            return action.apply(id).apply(r).statusCode();
        };
    }

    // ---------------------------------------------------------------------------------------------- running it

    @TestFactory
    Stream<DynamicTest> everyRoleTimesEveryAction() throws Exception {
        setUp();
        table();
        return rows.stream().map(c -> DynamicTest.dynamicTest(c.row(), () -> run(c)));
    }

    private void run(Case c) throws Exception {
        Optional<RequestSpecification> request = request(c.who());
        if (c.who() == Who.GUEST_VIEW || c.who() == Who.GUEST_DRIVE) {
            Assumptions.assumeTrue(request.isPresent(), "guest rows run once sharing provides guestCredentials()");
        }
        int status = c.call() == null ? webSocket(c.who()) : c.call().apply(request.orElseThrow());
        assertThat(status).as("row: %s", c.row()).isIn(c.expected());
    }

    private Optional<RequestSpecification> request(Who who) {
        return switch (who) {
            case ADMIN -> Optional.of(given().header("Authorization", ADMIN_AUTH));
            case OWNER -> Optional.of(given().header("Authorization", basic(fx.owner, password(fx.owner))));
            case OTHER -> Optional.of(given().header("Authorization", basic(fx.other, password(fx.other))));
            case NOPULL -> Optional.of(given().header("Authorization", basic(fx.nopull, password(fx.nopull))));
            case GUEST_VIEW, GUEST_DRIVE -> guestCredentials(who).map(cookie -> given().header("Cookie", cookie));
            case ANONYMOUS -> Optional.of(given());
        };
    }

    private final Map<Who, String> guestCookies = new EnumMap<>(Who.class);

    /**
     * The Cookie header of a guest who joined OWNER's TTY terminal ({@code fx.terminal}) through a share link OWNER
     * created with role view (GUEST_VIEW) or drive (GUEST_DRIVE); one guest per role for the whole table.
     */
    private Optional<String> guestCredentials(Who who) {
        return Optional.of(guestCookies.computeIfAbsent(who, w -> {
            String url = given().header("Authorization", basic(fx.owner, password(fx.owner))).contentType(ContentType.JSON)
                    .body(Map.of("role", w == Who.GUEST_VIEW ? "view" : "drive")).post("/api/terminals/" + fx.terminal + "/links")
                    .then().statusCode(201).extract().path("url");
            String token = url.substring(url.lastIndexOf('/') + 1);
            Response joined = given().contentType(ContentType.JSON).body(Map.of("displayName", "mx " + w.name().toLowerCase()))
                    .post("/api/join/" + token);
            joined.then().statusCode(201);
            return "berth_guest=" + joined.cookie("berth_guest");
        }));
    }

    /** {@link #WS_OPENED} when the server says hello, the close code when it closes, the HTTP status of a refused upgrade. */
    private int webSocket(Who who) throws Exception {
        String auth = switch (who) {
            case ADMIN -> ADMIN_AUTH;
            case OWNER -> basic(fx.owner, password(fx.owner));
            case OTHER -> basic(fx.other, password(fx.other));
            case NOPULL -> basic(fx.nopull, password(fx.nopull));
            default -> null;
        };
        String cookie = who == Who.GUEST_VIEW || who == Who.GUEST_DRIVE ? guestCredentials(who).orElseThrow() : null;
        CompletableFuture<Integer> outcome = new CompletableFuture<>();
        WebSocket.Builder b = HTTP.newWebSocketBuilder().header("Origin", base.getScheme() + "://" + base.getAuthority());
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + fx.terminal);
        WebSocket ws;
        try {
            ws = b.buildAsync(uri, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    if (data.toString().contains("\"hello\"")) {
                        outcome.complete(WS_OPENED);
                    }
                    w.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onBinary(WebSocket w, java.nio.ByteBuffer data, boolean last) {
                    w.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                    outcome.complete(statusCode);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
        try {
            return outcome.get(10, TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }

    // ---------------------------------------------------------------------------------------------- fixture

    private byte[] archive;

    private void setUp() throws Exception {
        ImageStore images = source.store();
        Path dir = Files.createTempDirectory("berth-matrix-rootfs");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            archive = BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of());
        } finally {
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
        if (images.find(IMAGE).isEmpty()) {
            images.importArchive(new ByteArrayInputStream(archive));
        }
        if (fx != null) {
            return;
        }
        serverUri = base.toString();
        fx = new Fixture();
        for (String u : List.of(fx.owner, fx.other, fx.nopull)) {
            admin().contentType(ContentType.JSON).body(Map.of("username", u, "password", password(u), "role", "user"))
                    .post("/api/users").then().statusCode(201);
        }
        admin().contentType(ContentType.JSON).body(Map.of("mayPull", false)).patch("/api/users/" + userId(fx.nopull))
                .then().statusCode(200);
        RequestSpecification owner = given().header("Authorization", basic(fx.owner, password(fx.owner)));
        fx.running = owner.contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("sh"), "tty", true, "openStdin", true,
                "name", "mx-running-" + SUFFIX)).post("/api/containers").then().statusCode(201).extract().path("Id");
        fx.containers.add(fx.running);
        as(fx.owner).post("/api/containers/" + fx.running + "/start").then().statusCode(204);
        fx.terminal = as(fx.owner).post("/api/containers/" + fx.running + "/terminal").then().statusCode(201).extract().path("terminalId");
        fx.stopped = as(fx.owner).contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true")))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        fx.containers.add(fx.stopped);
        fx.othersContainer = as(fx.other).contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true")))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        fx.containers.add(fx.othersContainer);
        fx.volume = ownersVolume();
        fx.network = ownersNetwork();
    }

    private String ownersContainer(boolean running) {
        String id = as(fx.owner).contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("sleep", "300")))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        fx.containers.add(id);
        if (running) {
            as(fx.owner).post("/api/containers/" + id + "/start").then().statusCode(204);
        }
        return id;
    }

    private String ownersVolume() {
        String name = "mx-vol-" + UUID.randomUUID().toString().substring(0, 8);
        fx.volumes.add(name);
        as(fx.owner).contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/volumes").then().statusCode(201);
        return name;
    }

    private String ownersNetwork() {
        String name = "mx-net-" + UUID.randomUUID().toString().substring(0, 8);
        fx.networks.add(name);
        as(fx.owner).contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/networks").then().statusCode(201);
        return name;
    }

    private String freshTag() {
        String tag = "mx-del/" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        fx.images.add(tag);
        admin().contentType(ContentType.JSON).body(Map.of("source", IMAGE, "target", tag)).post("/api/images/tag").then().statusCode(201);
        return tag;
    }

    private static byte[] emptyTar() {
        return new byte[1024]; // two zero blocks: an empty tar archive
    }

    static long userId(String username) {
        List<Map<String, Object>> users = admin().get("/api/users").then().statusCode(200).extract().jsonPath().getList("$");
        return users.stream().filter(u -> username.equals(u.get("username"))).map(u -> ((Number) u.get("id")).longValue())
                .findFirst().orElseThrow();
    }

    @AfterAll
    static void cleanUp() {
        if (fx == null) {
            return;
        }
        java.util.function.Supplier<RequestSpecification> admin = () -> given().baseUri(serverUri).header("Authorization", ADMIN_AUTH);
        for (String id : fx.containers) {
            admin.get().delete("api/containers/" + id + "?force=true");
        }
        for (String v : fx.volumes) {
            admin.get().delete("api/volumes/" + v + "?force=true");
        }
        for (String n : fx.networks) {
            admin.get().delete("api/networks/" + n);
        }
        for (String i : fx.images) {
            admin.get().delete("api/images/" + i);
        }
        admin.get().delete("api/quotas/user/mx-nobody-" + SUFFIX);
        fx = null;
    }

    // ---------------------------------------------------------------------------------------------- what lists show

    @Test
    void listsShowOwnObjectsOnlyAndViewsNameTheOwner() throws Exception {
        setUp();
        List<String> ownersList = as(fx.owner).get("/api/containers?all=true").then().statusCode(200).extract().path("id");
        List<String> othersList = as(fx.other).get("/api/containers?all=true").then().statusCode(200).extract().path("id");
        List<String> adminsList = admin().get("/api/containers?all=true").then().statusCode(200).extract().path("id");
        assertThat(ownersList).contains(fx.running, fx.stopped).doesNotContain(fx.othersContainer);
        assertThat(othersList).contains(fx.othersContainer).doesNotContain(fx.running, fx.stopped);
        assertThat(adminsList).contains(fx.running, fx.stopped, fx.othersContainer);
        as(fx.owner).get("/api/containers/" + fx.running).then().statusCode(200)
                .body("owner", org.hamcrest.Matchers.equalTo(fx.owner))
                .body("Config.Labels.'dev.berth.owner'", org.hamcrest.Matchers.equalTo(fx.owner));
        List<String> ownerOfRows = as(fx.owner).get("/api/containers?all=true").then().extract().path("owner");
        assertThat(ownerOfRows).containsOnly(fx.owner);

        // another user's object answers exactly like a missing one
        Response hidden = as(fx.other).get("/api/containers/" + fx.running);
        Response missing = as(fx.other).get("/api/containers/" + fx.running.replaceAll(".", "0"));
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.path("error").toString()).isEqualTo(missing.path("error").toString()).isEqualTo("container_not_found");

        assertThat(as(fx.owner).get("/api/volumes").then().extract().<List<String>>path("name")).contains(fx.volume);
        assertThat(as(fx.other).get("/api/volumes").then().extract().<List<String>>path("name")).doesNotContain(fx.volume);
        as(fx.owner).get("/api/volumes/" + fx.volume).then().body("owner", org.hamcrest.Matchers.equalTo(fx.owner));

        List<String> othersNetworks = as(fx.other).get("/api/networks").then().extract().path("name");
        assertThat(othersNetworks).contains("bridge").doesNotContain(fx.network);
        as(fx.owner).get("/api/networks/" + fx.network).then().body("owner", org.hamcrest.Matchers.equalTo(fx.owner));
        // the shared bridge lists only the member containers the caller may see
        List<String> bridgeMembers = as(fx.other).get("/api/networks/bridge").then().extract().path("containers.containerId");
        assertThat(bridgeMembers).doesNotContain(fx.running);

        // terminals: OWNER owns the TTY terminal of their container; OTHER does not see it
        List<String> ownersTerminals = as(fx.owner).get("/api/terminals").then().extract().path("id");
        List<String> othersTerminals = as(fx.other).get("/api/terminals").then().extract().path("id");
        assertThat(ownersTerminals).contains(fx.terminal);
        assertThat(othersTerminals).doesNotContain(fx.terminal);
        as(fx.owner).get("/api/terminals/" + fx.terminal).then().body("role", org.hamcrest.Matchers.equalTo("owner"))
                .body("containerId", org.hamcrest.Matchers.equalTo(fx.running));

        // an exec terminal an admin opens in OWNER's container is OWNER's too
        String exec = admin().contentType(ContentType.JSON).body(Map.of("cmd", List.of("sh"))).post("/api/containers/" + fx.running + "/exec")
                .then().statusCode(201).extract().path("terminalId");
        try {
            as(fx.owner).get("/api/terminals/" + exec).then().statusCode(200).body("role", org.hamcrest.Matchers.equalTo("owner"))
                    .body("containerId", org.hamcrest.Matchers.equalTo(fx.running));
            as(fx.other).get("/api/terminals/" + exec).then().statusCode(404);
        } finally {
            registry.close(exec, "test over");
        }
    }

    @Test
    void aUserMayNotClaimSomeoneElsesOwnerLabelButAnAdminMay() throws Exception {
        setUp();
        as(fx.owner).contentType(ContentType.JSON).body(Map.of("image", IMAGE, "labels", Map.of("dev.berth.owner", fx.other)))
                .post("/api/containers").then().statusCode(403).body("error", org.hamcrest.Matchers.equalTo("forbidden"))
                .body("field", org.hamcrest.Matchers.equalTo("labels"));
        String id = admin().contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("true"),
                "labels", Map.of("dev.berth.owner", fx.other))).post("/api/containers").then().statusCode(201).extract().path("Id");
        fx.containers.add(id);
        as(fx.other).get("/api/containers/" + id).then().statusCode(200).body("owner", org.hamcrest.Matchers.equalTo(fx.other));
        as(fx.owner).get("/api/containers/" + id).then().statusCode(404);
    }

    @Test
    void aUserMayNotTieAContainerToAWorkspaceWhoseExpiryWouldRemoveIt() throws Exception {
        setUp();
        as(fx.owner).contentType(ContentType.JSON).body(Map.of("image", IMAGE, "labels", Map.of("dev.berth.workspace", "42")))
                .post("/api/containers").then().statusCode(403).body("error", org.hamcrest.Matchers.equalTo("forbidden"))
                .body("field", org.hamcrest.Matchers.equalTo("labels"))
                .body("message", org.hamcrest.Matchers.containsString("dev.berth.workspace"));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static RequestSpecification admin() {
        return given().header("Authorization", ADMIN_AUTH);
    }

    private static RequestSpecification as(String user) {
        return given().header("Authorization", basic(user, password(user)));
    }

    private static String password(String user) {
        return "password-of-" + user;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
