package dev.berth.web.container;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.testing.TestRootfs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/** Containers driven over REST on the real runtime: start, logs (follow too), stats, top, archive, wait, remove. */
@QuarkusTest
@TestSecurity(user = "admin", roles = "admin")
class ContainerLifecycleResourceTest {
    static final String IMAGE = ContainerResourceTest.IMAGE;

    @Inject
    ImageStoreSource source;

    @BeforeEach
    void image() throws Exception {
        if (source.store().find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-rest-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            source.store().importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    private static String run(String name, String script) {
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + IMAGE + "\",\"name\":\"" + name + "\",\"cmd\":[\"sh\",\"-c\",\"" + script + "\"]}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        given().post("/api/containers/" + id + "/start").then().statusCode(204);
        return id;
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void lifecycleLogsStatsTopAndWait() throws Exception {
        String name = unique("api");
        String id = run(name, "echo hello; echo oops >&2; exec sleep 1000");
        given().get("/api/containers/" + name).then().statusCode(200).body("State.Status", equalTo("running"))
                .body("State.Running", equalTo(true));
        given().get("/api/containers?status=running").then().statusCode(200).body("id", hasItem(id));
        awaitLogs(id, "oops");
        assertThat(given().get("/api/containers/" + id + "/logs?stderr=false").then().statusCode(200).extract().asString())
                .isEqualTo("hello\n");
        assertThat(given().get("/api/containers/" + id + "/logs?tail=1&timestamps=true").then().statusCode(200).extract().asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z oops\\n");
        List<String> ndjson = given().get("/api/containers/" + id + "/logs?format=ndjson").then().statusCode(200)
                .contentType("application/x-ndjson").extract().asString().lines().toList();
        assertThat(ndjson).hasSize(2);
        assertThat(ndjson.get(1)).contains("\"stream\":\"stderr\"").contains("\"line\":\"oops\\n\"");

        given().get("/api/containers/" + id + "/stats").then().statusCode(200).body("pids", greaterThanOrEqualTo(1))
                .body("memoryUsage", org.hamcrest.Matchers.greaterThan(0));
        given().get("/api/containers/" + id + "/top").then().statusCode(200).body("titles", hasItem("PID"));

        given().post("/api/containers/" + id + "/pause").then().statusCode(204);
        given().get("/api/containers/" + id).then().body("State.Status", equalTo("paused"));
        given().post("/api/containers/" + id + "/unpause").then().statusCode(204);
        String renamed = unique("renamed");
        given().post("/api/containers/" + id + "/rename?name=" + renamed).then().statusCode(204);
        given().get("/api/containers/" + renamed).then().statusCode(200).body("Id", equalTo(id));

        CompletableFuture<Integer> waited = CompletableFuture.supplyAsync(() ->
                given().post("/api/containers/" + id + "/wait").then().statusCode(200).extract().path("StatusCode"));
        given().post("/api/containers/" + id + "/kill?signal=SIGKILL").then().statusCode(204);
        assertThat(waited.get(30, TimeUnit.SECONDS)).isEqualTo(137);
        given().get("/api/containers/" + id).then().body("State.Status", equalTo("exited")).body("State.ExitCode", equalTo(137));
        given().delete("/api/containers/" + id).then().statusCode(204);
    }

    @Test
    void followedLogsStreamUntilTheContainerExits() {
        String id = run(unique("follow"), "echo first; sleep 1; echo second");
        String body = given().get("/api/containers/" + id + "/logs?follow=true").then().statusCode(200).extract().asString();
        assertThat(body).isEqualTo("first\nsecond\n");
        given().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
    }

    @Test
    void statsStreamAsNdjsonUntilTheContainerStops() throws Exception {
        String id = run(unique("stats"), "exec sleep 1000");
        CompletableFuture<Void> stopLater = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            given().post("/api/containers/" + id + "/stop?t=0").then().statusCode(204);
        });
        List<String> lines = given().get("/api/containers/" + id + "/stats?stream=true").then().statusCode(200)
                .extract().asString().lines().toList();
        stopLater.get(30, TimeUnit.SECONDS);
        assertThat(lines).hasSizeGreaterThanOrEqualTo(2).allSatisfy(l -> assertThat(l).contains("\"cpuPercent\""));
        given().delete("/api/containers/" + id).then().statusCode(204);
    }

    @Test
    void archivesCopyInAndOut() throws Exception {
        String id = run(unique("files"), "ln -s ../../../../etc /up; exec sleep 1000");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            byte[] data = "uploaded\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("hello.txt");
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        given().contentType("application/x-tar").body(tar.toByteArray()).put("/api/containers/" + id + "/archive?path=/tmp")
                .then().statusCode(200);
        byte[] got = given().get("/api/containers/" + id + "/archive?path=/tmp/hello.txt").then().statusCode(200)
                .contentType("application/x-tar").extract().asByteArray();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(got))) {
            TarArchiveEntry e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo("hello.txt");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("uploaded\n");
        }
        // through a link that climbs: the container's own /etc/passwd, never the host's
        byte[] passwd = given().get("/api/containers/" + id + "/archive?path=/up/passwd").then().statusCode(200).extract().asByteArray();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(passwd))) {
            in.getNextEntry();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("daemon:").startsWith("root:x:0:0:root:/root:/bin/sh");
        }
        given().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
    }

    private static void awaitLogs(String id, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!given().get("/api/containers/" + id + "/logs").then().extract().asString().contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + text);
            }
            Thread.sleep(50);
        }
    }
}
