package dev.berth.web.terminal;

import static dev.berth.web.terminal.WsClient.await;
import static dev.berth.web.terminal.WsClient.basic;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Terminals on real containers over the real server: a busybox sh container's TTY shared by two WebSocket clients
 * (the opener drives, another user watches), and an exec session in it resized before its first keystroke.
 */
@QuarkusTest
class ContainerTerminalsTest {
    private static final String IMAGE = "berth-test/busybox:terminals";
    private static final String ADMIN = basic("admin", "test-admin-password");

    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;
    @Inject
    TestTerminalGrants grants;
    @Inject
    ImageStoreSource source;

    private final List<WsClient> clients = new ArrayList<>();
    private final List<String> containers = new ArrayList<>();

    @BeforeEach
    void image() throws Exception {
        ImageStore images = source.store();
        if (images.find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-terminal-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    @AfterEach
    void cleanUp() {
        clients.forEach(WsClient::abort);
        for (String id : containers) {
            grants.revokeAll(id);
            admin().delete("/api/containers/" + id + "?force=true");
        }
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    private String shContainer() {
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("image", IMAGE, "cmd", List.of("sh"), "tty", true, "openStdin", true,
                        "name", "term-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        containers.add(id);
        admin().post("/api/containers/" + id + "/start").then().statusCode(204);
        return id;
    }

    private WsClient connect(String terminal, String query, String auth) throws Exception {
        WsClient c = WsClient.connect(base, terminal, query, auth, null);
        clients.add(c);
        await("hello", () -> !c.controls("hello").isEmpty() || c.closed());
        return c;
    }

    private static String user() {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 6);
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    private void settle(TerminalHub hub, WsClient... cs) throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(150);
            long seq = hub.sequence();
            if (seq == last) {
                break;
            }
            last = seq;
        }
        for (WsClient c : cs) {
            await("client to catch up", () -> c.nextSeq() == hub.sequence());
        }
    }

    @Test
    void twoClientsOnAContainersTtySeeTheSameOutputAndOnlyTheDriverTypes() throws Exception {
        String id = shContainer();
        String terminal = admin().post("/api/containers/" + id + "/terminal?cols=80&rows=24").then().statusCode(201)
                .body("containerId", equalTo(id)).body("owner", equalTo("admin")).extract().path("terminalId");
        assertThat(terminal).isEqualTo(id);
        // opening again answers the same terminal
        admin().post("/api/containers/" + id + "/terminal").then().statusCode(200).body("terminalId", equalTo(id));

        String viewer = user();
        grants.grant(terminal, viewer, dev.berth.terminal.TerminalRole.VIEWER);
        WsClient driver = connect(terminal, "resume=0", ADMIN);
        WsClient watcher = connect(terminal, "resume=0", basic(viewer, "password-of-" + viewer));
        assertThat(driver.controls("hello").get(0).get("role").asText()).isEqualTo("owner");
        assertThat(watcher.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");

        driver.keys("echo FROM$((6*7))DRIVER\r");
        await("driver's output on the driver", () -> driver.text().contains("FROM42DRIVER"));
        await("driver's output on the watcher", () -> watcher.text().contains("FROM42DRIVER"));
        assertThat(watcher.text()).contains("echo FROM$((6*7))DRIVER"); // the echo of the typed line reaches both

        watcher.keys("echo VIEWER$((1+1))\r");
        await("viewer refused", () -> !watcher.controls("error").isEmpty());
        assertThat(watcher.controls("error").get(0).get("code").asText()).isEqualTo("read-only");

        TerminalHub hub = registry.find(terminal).orElseThrow();
        settle(hub, driver, watcher);
        assertThat(driver.sequenceError).isNull();
        assertThat(watcher.sequenceError).isNull();
        assertThat(watcher.bytes()).isEqualTo(driver.bytes());
        assertThat(driver.text()).doesNotContain("VIEWER2");

        // the container's shell exits: the terminal ends for everyone
        driver.keys("exit\r");
        await("terminal closed", () -> driver.closed() && watcher.closed());
        await("terminal gone", () -> registry.find(terminal).isEmpty());
    }

    @Test
    void anExecTerminalFollowsAResizeSentBeforeTheFirstKeystroke() throws Exception {
        String id = shContainer();
        String terminal = admin().contentType(ContentType.JSON)
                .body("{\"cmd\":[\"sh\"],\"cols\":100,\"rows\":30,\"env\":[\"EXEC_MARK=exec-ok\"]}")
                .post("/api/containers/" + id + "/exec").then().statusCode(201)
                .body("terminalId", startsWith("exec-")).body("containerId", equalTo(id)).extract().path("terminalId");

        WsClient c = connect(terminal, "resume=0", ADMIN);
        c.control("{\"type\":\"resize\",\"cols\":120,\"rows\":40}");
        c.keys("stty size; echo $EXEC_MARK; hostname\r");
        // size, env and hostname: it runs in the container, with the size sent before the first keystroke
        await("size, env and hostname", () -> c.text().contains("40 120") && c.text().contains("exec-ok")
                && c.text().contains(id.substring(0, 12)));

        c.keys("exit\r");
        await("exec terminal gone", () -> registry.find(terminal).isEmpty());
        // the container itself keeps running
        admin().get("/api/containers/" + id).then().statusCode(200).body("State.Running", equalTo(true));
    }

    @Test
    void errorsSayWhatToDo() {
        String id = admin().contentType(ContentType.JSON).body(Map.of("image", IMAGE, "cmd", List.of("sleep", "30")))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        containers.add(id);
        admin().post("/api/containers/" + id + "/terminal").then().statusCode(409).body("error", equalTo("container_not_running"));
        admin().contentType(ContentType.JSON).body("{\"cmd\":[\"sh\"]}").post("/api/containers/" + id + "/exec")
                .then().statusCode(409).body("error", equalTo("container_not_running"));
        admin().post("/api/containers/" + id + "/start").then().statusCode(204);
        admin().post("/api/containers/" + id + "/terminal").then().statusCode(409).body("error", equalTo("container_has_no_tty"));
        admin().contentType(ContentType.JSON).body("{}").post("/api/containers/" + id + "/exec")
                .then().statusCode(400).body("field", equalTo("cmd"));
        given().post("/api/containers/" + id + "/terminal").then().statusCode(401);
    }
}
