package dev.berth.web.terminal;

import static dev.berth.web.terminal.WsClient.basic;
import static io.restassured.RestAssured.given;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.container.BusyboxImageArchive;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * What the sharing tests set up: users, a busybox sh container with its TTY terminal, plain PTY terminals,
 * WebSocket clients; and their clean-up. Also the bounded wait used to check "closed within a second".
 */
final class SharingFixture {
    static final String IMAGE = "berth-test/busybox:sharing";
    static final String ADMIN = basic("admin", "test-admin-password");

    final URI base;
    final TerminalRegistry registry;
    private final List<WsClient> clients = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();
    private final List<String> terminals = new ArrayList<>();

    SharingFixture(URI base, TerminalRegistry registry) {
        this.base = base;
        this.registry = registry;
    }

    static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    static RequestSpecification as(String user) {
        return given().header("Authorization", auth(user));
    }

    static String auth(String user) {
        return basic(user, "password-of-" + user);
    }

    static String user(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    static void image(ImageStoreSource source) throws Exception {
        ImageStore images = source.store();
        if (images.find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-sharing-rootfs");
            try {
                Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
                images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            } finally {
                dev.berth.engine.container.Trees.deleteRecursively(dir);
            }
        }
    }

    /** A running busybox sh container with a TTY, created and started by the admin; its terminal opened by the admin. */
    String shContainerWithTerminal() {
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("image", IMAGE, "cmd", List.of("sh"), "tty", true, "openStdin", true,
                        "name", "share-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        containers.add(id);
        admin().post("/api/containers/" + id + "/start").then().statusCode(204);
        admin().post("/api/containers/" + id + "/terminal").then().statusCode(201);
        return id;
    }

    /** A plain terminal (busybox sh on a PTY) owned by the admin. */
    String ptyTerminal() throws Exception {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(id, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        terminals.add(id);
        return id;
    }

    WsClient connect(String terminal, String auth, String cookie) throws Exception {
        WsClient c = WsClient.connect(base, terminal, "resume=0", auth, cookie);
        clients.add(c);
        WsClient.await("hello", () -> !c.controls("hello").isEmpty() || c.closed());
        return c;
    }

    /** A login session: its cookie header value and CSRF token. */
    record Login(String cookie, String csrf) {
    }

    static Login login(String user) {
        Response r = given().contentType(ContentType.JSON).body(Map.of("username", user, "password", "password-of-" + user))
                .post("/api/session");
        r.then().statusCode(200);
        return new Login("berth_session=" + r.cookie("berth_session"), r.jsonPath().getString("csrfToken"));
    }

    /** Waits at most {@code millis} for {@code condition}; false if it did not come true in time. */
    static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return condition.getAsBoolean();
            Thread.sleep(5);
        }
        return true;
    }

    void cleanUp() {
        clients.forEach(WsClient::abort);
        for (String t : terminals) registry.close(t, "test over");
        for (String id : containers) admin().delete("/api/containers/" + id + "?force=true");
    }
}
