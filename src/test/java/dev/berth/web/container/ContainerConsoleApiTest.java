package dev.berth.web.container;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.testing.TestRootfs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/**
 * What the console's Containers screens rely on beyond Docker's API: {@code publishAll} (the run form's
 * "publish all exposed ports", Docker's -P) and exec errors that name the field they concern (the shell dialog
 * shows "this image has no shell" at the command).
 */
@QuarkusTest
@TestSecurity(user = "admin", roles = "admin")
class ContainerConsoleApiTest {
    static final String EXPOSING = "berth-test/exposing:console";

    @Inject
    ImageStoreSource source;

    @BeforeEach
    void image() throws Exception {
        if (source.store().find(EXPOSING).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-console-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            source.store().importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, EXPOSING, List.of("/bin/sh"),
                    List.of(), List.of("8080/tcp", "53/udp"))));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void publishAllPublishesEveryExposedPortOnAFreeHostPortKeepingExplicitOnes() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + EXPOSING + "\",\"name\":\"" + unique("pall") + "\",\"publishAll\":true,"
                        + "\"portBindings\":[{\"containerPort\":8080,\"protocol\":\"tcp\",\"hostIp\":\"127.0.0.1\",\"hostPort\":0}]}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        List<Map<String, Object>> bindings = given().get("/api/containers/" + id).then().statusCode(200)
                .extract().path("HostConfig.PortBindings");
        assertThat(bindings).extracting(b -> b.get("containerPort") + "/" + b.get("protocol") + "@" + b.get("hostIp"))
                .containsExactlyInAnyOrder("8080/tcp@127.0.0.1", "53/udp@");
        given().delete("/api/containers/" + id).then().statusCode(204);
    }

    @Test
    void withoutPublishAllOnlyTheAskedPortsArePublished() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + EXPOSING + "\",\"name\":\"" + unique("pnone") + "\"}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        List<Map<String, Object>> bindings = given().get("/api/containers/" + id).then().statusCode(200)
                .extract().path("HostConfig.PortBindings");
        assertThat(bindings).isEmpty();
        given().delete("/api/containers/" + id).then().statusCode(204);
    }

    @Test
    void execOfAMissingShellNamesTheCommandFieldAndAValidOneOpensATerminal() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + EXPOSING + "\",\"name\":\"" + unique("noshell") + "\",\"cmd\":[\"sleep\",\"1000\"]}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        given().post("/api/containers/" + id + "/start").then().statusCode(204);
        try {
            given().contentType(ContentType.JSON).body("{\"cmd\":[\"/bin/bash\"]}").post("/api/containers/" + id + "/exec")
                    .then().statusCode(400).body("error", equalTo("executable_not_found")).body("field", equalTo("cmd"))
                    .body("message", containsString("'/bin/bash' does not exist in container"));
            given().contentType(ContentType.JSON).body("{\"cmd\":[\"/bin/sh\"]}").post("/api/containers/" + id + "/exec")
                    .then().statusCode(201).body("terminalId", startsWith("exec-")).body("containerId", equalTo(id));
        } finally {
            given().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
        }
    }

    @Test
    void aFollowedLogOfAQuietContainerReleasesItsRequestThreadWhenTheClientLeaves() throws Exception {
        // containers of an earlier run that failed half way (the engine's state outlives the test process)
        List<String> stale = given().get("/api/containers?all=true&name=quiet-").then().statusCode(200).extract().path("id");
        stale.forEach(old -> given().delete("/api/containers/" + old + "?force=true"));
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + EXPOSING + "\",\"name\":\"" + unique("quiet") + "\",\"cmd\":[\"sh\",\"-c\",\"echo ready; exec sleep 1000\"]}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        given().post("/api/containers/" + id + "/start").then().statusCode(204);
        long before = followers(); // other suites' browsers may still follow logs of their own containers
        try {
            followAndLeave(id, before);
            // the container says nothing more; only the closed connection can end the follow
            for (int i = 0; i < 150 && followers() > before; i++) {
                Thread.sleep(100);
            }
            assertThat(followers()).as("request threads still following the log after the client left").isEqualTo(before);
        } finally {
            given().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
        }
    }

    /** Follows the log over a raw connection until its first line, checks one request thread follows, and hangs up. */
    private static void followAndLeave(String id, long before) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            String auth = java.util.Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET /api/containers/" + id + "/logs?follow=true HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + auth + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!seen.toString().contains("ready")) {
                int n = in.read(buffer);
                assertThat(n).as("the followed log ended before its first line; got: " + seen).isPositive();
                seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 200");
            assertThat(followers()).isEqualTo(before + 1);
        }
    }

    /** Threads blocked in a log follow (the engine's follow loop is on their stack). */
    private static long followers() {
        return Thread.getAllStackTraces().values().stream()
                .filter(stack -> java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().endsWith("NativeProcessRuntime")
                        && f.getMethodName().equals("readLogs")))
                .count();
    }
}
