package dev.berth.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.berth.engine.container.Trees;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Uploads may be large; the JSON endpoints are held to 1 MiB, so nobody can make the server buffer gigabytes. */
@QuarkusTest
class RequestBodyLimitsTest {
    private static final String ADMIN = "admin";
    private static final String PASSWORD = "test-admin-password";

    @TestHTTPResource("/api/")
    URL api;

    @Test
    void anImageArchiveLargerThanTheOldTenMebibyteLimitImports() throws Exception {
        Path dir = Files.createTempDirectory("berth-big-image");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            byte[] noise = new byte[12 * 1024 * 1024];
            new Random(7).nextBytes(noise);
            Files.write(rootfs.resolve("big.bin"), noise);
            byte[] archive = BusyboxImageArchive.of(rootfs, "body-limits/big:1", List.of("/bin/sh"), List.of());

            given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/x-tar")
                    .body(new ByteArrayInputStream(archive)).post("/api/images/import")
                    .then().statusCode(200).body("loaded", hasItem("docker.io/body-limits/big:1"));
            given().auth().preemptive().basic(ADMIN, PASSWORD).delete("/api/images/body-limits/big:1")
                    .then().statusCode(200);
        } finally {
            Trees.deleteRecursively(dir);
        }
    }

    @Test
    void aLargeJsonBodyIsRefusedBeforeItIsReadEvenWithoutSigningIn() {
        String huge = "{\"username\":\"x\",\"password\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/session")
                .then().statusCode(413).contentType(ContentType.JSON)
                .body("error", equalTo("body_too_large"))
                .body("message", containsString("/api/session takes at most 1048576 bytes"));
    }

    @Test
    void aChunkedJsonBodyIsRefusedWithLengthRequired() throws Exception {
        // a body of unknown length: the JDK client sends it chunked
        HttpRequest request = HttpRequest.newBuilder(api.toURI().resolve("session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("{\"username\":\"x\",\"password\":\"y\"}".getBytes())))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).isEqualTo(411);
        org.assertj.core.api.Assertions.assertThat(response.body()).contains("\"error\":\"length_required\"");
    }

    @Test
    void ordinaryJsonStillWorks() {
        given().contentType(ContentType.JSON).body("{\"username\":\"admin\",\"password\":\"wrong-password\"}")
                .post("/api/session").then().statusCode(401);
    }
}
