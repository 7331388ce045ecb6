package dev.berth.web.image;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.berth.engine.image.Tars;
import dev.berth.engine.image.TestImage;
import dev.berth.engine.image.TestRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;

/** /api/images against a real loopback registry. */
@QuarkusTest
class ImageResourceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestRegistry registry;
    static TestImage image;
    static Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        dir = Files.createTempDirectory("berth-image-rest");
        registry = TestRegistry.start(dir.resolve("registry"), false);
        image = new TestImage().layer(Tars.tar().dir("bin").hostFile("bin/busybox", Path.of("/bin/busybox"), 0755)
                .symlink("bin/sh", "busybox").bytes(), TestImage.Compression.GZIP);
        image.push(registry.pusher(), "rest/app", "v1", false);
    }

    /** The tests act as alice: she needs an account, since pulling checks the account's pull permission. */
    @jakarta.inject.Inject
    dev.berth.account.UserService users;

    @org.junit.jupiter.api.BeforeEach
    void alice() {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            if (dev.berth.account.User.findByUsername("alice").isEmpty()) {
                users.create("alice", "Alice", "password-of-alice", dev.berth.account.Role.USER, false);
            }
        });
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        registry.close();
        dev.berth.engine.image.ContentStore.deleteTree(dir);
    }

    static List<JsonNode> lines(String body) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String l : body.split("\n")) {
            if (!l.isBlank()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    @Test
    void requiresAuthentication() {
        given().get("/api/images").then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "alice", roles = "user")
    void pullStreamsProgressThenListInspectTagExportImportAndRemove() throws Exception {
        String ref = registry.host() + "/rest/app:v1";
        Response pull = given().contentType("application/json").body(Map.of("reference", ref))
                .post("/api/images/pull");
        pull.then().statusCode(200).contentType("application/x-ndjson");
        List<JsonNode> events = lines(pull.asString());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("complete");
        assertThat(last.path("message").asText()).isEqualTo(image.id());
        assertThat(events).extracting(e -> e.path("status").asText()).contains("resolving", "waiting", "done");

        // a second watcher of the same pull gets its state, ending with complete
        String pullId = pull.header("X-Berth-Pull-Id");
        List<JsonNode> replay = lines(given().get("/api/images/pulls/" + pullId + "/events").then().statusCode(200)
                .extract().asString());
        assertThat(replay.get(replay.size() - 1).path("status").asText()).isEqualTo("complete");

        given().get("/api/images").then().statusCode(200).body("id", hasItem(image.id()));
        given().get("/api/images/" + ref).then().statusCode(200)
                .body("id", equalTo(image.id()))
                .body("config.env", equalTo(List.of("PATH=/bin", "GREETING=hello")))
                .body("config.workingDir", equalTo("/srv"))
                .body("config.exposedPorts", equalTo(List.of("8080/tcp")))
                .body("layers.size()", equalTo(1));

        given().contentType("application/json").body(Map.of("source", ref, "target", "rest-copy/app:2"))
                .post("/api/images/tag").then().statusCode(201);
        given().get("/api/images/rest-copy/app:2").then().statusCode(200).body("id", equalTo(image.id()));

        given().queryParam("registry", registry.host()).queryParam("term", "rest")
                .get("/api/images/search").then().statusCode(200).body("repositories", hasItem("rest/app"));

        byte[] tar = given().queryParam("ref", "rest-copy/app:2").get("/api/images/export").then().statusCode(200)
                .contentType("application/x-tar").extract().asByteArray();
        given().delete("/api/images/rest-copy/app:2").then().statusCode(200)
                .body("untagged", equalTo(List.of("docker.io/rest-copy/app:2")));
        given().get("/api/images/rest-copy/app:2").then().statusCode(404).body("error", equalTo("image_not_found"));
        given().contentType("application/x-tar").body(tar).post("/api/images/import").then().statusCode(200)
                .body("loaded", equalTo(List.of("docker.io/rest-copy/app:2")));
        given().get("/api/images/rest-copy/app:2").then().statusCode(200).body("id", equalTo(image.id()));

        given().delete("/api/images/" + image.id() + "?force=true").then().statusCode(200)
                .body("deleted", equalTo(List.of(image.id())));
        given().get("/api/images/" + ref).then().statusCode(404);
    }

    @Test
    @TestSecurity(user = "alice", roles = "user")
    void errorsAreJson() throws Exception {
        given().contentType("application/json").body(Map.of("reference", "Not/Lowercase"))
                .post("/api/images/pull").then().statusCode(400).body("error", equalTo("invalid_reference"));
        given().contentType("application/json").body(Map.of()).post("/api/images/pull").then().statusCode(400)
                .body("field", equalTo("reference"));
        given().get("/api/images/never/pulled:1").then().statusCode(404).body("error", equalTo("image_not_found"))
                .body("message", org.hamcrest.Matchers.containsString("never/pulled:1"));
        given().get("/api/images/pulls/unknown/events").then().statusCode(404).body("error", equalTo("pull_not_found"));
        // a failing pull ends its stream with a failed event naming the reference
        String ref = registry.host() + "/rest/missing:v1";
        List<JsonNode> events = lines(given().contentType("application/json").body(Map.of("reference", ref))
                .post("/api/images/pull").then().statusCode(200).extract().asString());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("status").asText()).isEqualTo("failed");
        assertThat(last.path("error").asText()).isEqualTo("manifest_unknown");
        assertThat(last.path("message").asText()).contains("rest/missing:v1");
    }
}
