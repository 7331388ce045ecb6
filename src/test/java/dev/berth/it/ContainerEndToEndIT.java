package dev.berth.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.berth.engine.container.Trees;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The whole path on the packaged application, as a user drives it over HTTP Basic: import an image, create and
 * start a container with a published loopback port, reach it directly and through the console's port link,
 * survive a crash of Berth (the container keeps running and keeps its port; the new process re-adopts it and
 * restores its networking), stop (the port is freed) and remove. Networking uses its own prefix "bit" and pool
 * 10.236.0.0/16; traffic goes to 127.0.0.1 only.
 */
class ContainerEndToEndIT {
    private static final String PASSWORD = "integration-admin-password";
    private static final String IMAGE = "berth-it/busybox:web";
    private static final Map<String, String> ENV = Map.of(
            "BERTH_ADMIN_INITIAL_PASSWORD", PASSWORD,
            "BERTH_NETWORK_NAME_PREFIX", "bit",
            "BERTH_NETWORK_POOL", "10.236.0.0/16",
            "BERTH_NETWORK_DEFAULT_HOST_IP", "127.0.0.1");

    @Test
    void importRunPublishLinkCrashReadoptStopRemove() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("/tmp"), "berth-int-");
        List<String> created = new ArrayList<>();
        boolean passed = false;
        PackagedApp app = new PackagedApp(dataDir, ENV).start();
        try {
            assertThat(app.logText()).doesNotContain("Containers cannot run", "Container networking is not available");

            Path scratch = Files.createTempDirectory(Path.of("/tmp"), "berth-int-image-");
            try {
                Path rootfs = TestRootfs.busybox(scratch.resolve("rootfs"));
                Files.writeString(Files.createDirectories(rootfs.resolve("www")).resolve("index.html"), "hello from the packaged app");
                byte[] archive = BusyboxImageArchive.of(rootfs, IMAGE, List.of("httpd", "-f", "-p", "80", "-h", "/www"), List.of());
                admin(app).contentType("application/x-tar").body(archive).post(app.url("/api/images/import"))
                        .then().statusCode(200);
            } finally {
                Trees.deleteRecursively(scratch);
            }
            admin(app).get(app.url("/api/images/" + IMAGE)).then().statusCode(200);

            String id = admin(app).contentType(ContentType.JSON)
                    .body(Map.of("image", IMAGE, "name", "itweb", "publish", List.of("127.0.0.1::80")))
                    .post(app.url("/api/containers")).then().statusCode(201).extract().path("Id");
            created.add(id);
            admin(app).post(app.url("/api/containers/itweb/start")).then().statusCode(204);

            int port = admin(app).get(app.url("/api/containers/itweb")).then().statusCode(200)
                    .body("State.Running", equalTo(true))
                    .body("HostConfig.PortBindings[0].containerPort", equalTo(80))
                    .body("NetworkSettings.Ports[0].hostIp", equalTo("127.0.0.1"))
                    .extract().path("NetworkSettings.Ports[0].hostPort");
            assertThat(port).isPositive();
            admin(app).get(app.url("/api/containers")).then().statusCode(200)
                    .body("find { it.name == 'itweb' }.ports[0].hostPort", equalTo(port));

            assertThat(get("http://127.0.0.1:" + port + "/")).isEqualTo("hello from the packaged app");
            admin(app).get(app.url("/ports/itweb/80/")).then().statusCode(200).body(equalTo("hello from the packaged app"));
            given().redirects().follow(false).get(app.url("/ports/itweb/80/")).then().statusCode(401);

            // Berth crashes; the container and its published port live on
            app.kill();
            assertThat(get("http://127.0.0.1:" + port + "/")).isEqualTo("hello from the packaged app");
            app = new PackagedApp(dataDir, ENV).start();
            admin(app).get(app.url("/api/containers/itweb")).then().statusCode(200)
                    .body("State.Running", equalTo(true)).body("NetworkSettings.Ports[0].hostPort", equalTo(port));
            assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
                    .as("the re-adopted container's port is held again").isInstanceOf(IOException.class);
            admin(app).get(app.url("/ports/itweb/80/")).then().statusCode(200).body(equalTo("hello from the packaged app"));

            admin(app).post(app.url("/api/containers/itweb/stop?t=2")).then().statusCode(204);
            new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close(); // freed at stop
            admin(app).get(app.url("/api/containers/itweb")).then().statusCode(200).body("State.Running", equalTo(false));
            admin(app).get(app.url("/ports/itweb/80/")).then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));

            admin(app).delete(app.url("/api/containers/itweb")).then().statusCode(204);
            created.remove(id);
            admin(app).get(app.url("/api/containers/itweb")).then().statusCode(404);
            passed = true;
        } finally {
            for (String id : created) {
                try {
                    admin(app).delete(app.url("/api/containers/" + id + "?force=true"));
                } catch (RuntimeException e) {
                    // the app may be down
                }
            }
            app.close();
            sh("nft delete table ip bit 2>/dev/null; ip link del bit0 2>/dev/null; true");
            Trees.deleteRecursively(dataDir);
            if (passed) { // the app's logs stay next to the data dir when the test fails
                try (var logs = Files.newDirectoryStream(dataDir.getParent(), dataDir.getFileName() + "-*.log")) {
                    for (Path log : logs) {
                        Files.deleteIfExists(log);
                    }
                }
            }
        }
    }

    private static RequestSpecification admin(PackagedApp app) {
        return given().auth().preemptive().basic("admin", PASSWORD);
    }

    private static String get(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    private static void sh(String script) throws Exception {
        new ProcessBuilder("sh", "-c", script).inheritIO().start().waitFor();
    }
}
