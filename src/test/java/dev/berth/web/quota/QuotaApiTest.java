package dev.berth.web.quota;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
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
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Quotas over REST on real containers: storing them, which one applies, and the exact refusals. */
@QuarkusTest
class QuotaApiTest {
    private static final String IMAGE = "berth-test/busybox:quotas";
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
    private static final long MIB = 1024 * 1024;

    @Inject
    ImageStoreSource source;

    private String user;
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final List<String> quotas = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        ImageStore images = source.store();
        if (images.find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-quota-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
        user = newUser();
    }

    @AfterEach
    void cleanUp() {
        for (String q : quotas) {
            admin().delete("/api/quotas/" + q);
        }
        for (String id : containers) {
            admin().delete("/api/containers/" + id + "?force=true");
        }
        for (String v : volumes) {
            admin().delete("/api/volumes/" + v + "?force=true");
        }
    }

    @Test
    void maxRunningRefusesTheNextStartWithTheLimitAndItsValue() {
        setQuota("user", user, Map.of("maxRunning", 1));
        String first = create(user, Map.of());
        String second = create(user, Map.of());
        as(user).post("/api/containers/" + first + "/start").then().statusCode(204);
        as(user).post("/api/containers/" + second + "/start").then().statusCode(403)
                .body("error", equalTo("quota_exceeded"))
                .body("field", equalTo("maxRunning"))
                .body("message", equalTo("Quota maxRunning is 1 running container; you already run 1. Stop one of your containers "
                        + "first, or ask an administrator to raise your quota."));
        // once the first stops, the second may run
        as(user).post("/api/containers/" + first + "/stop?t=0").then().statusCode(204);
        as(user).post("/api/containers/" + second + "/start").then().statusCode(204);
        as(user).get("/api/quotas/me").then().statusCode(200)
                .body("limits.maxRunning", equalTo(1)).body("limits.maxMemoryBytes", nullValue())
                .body("usage.running", equalTo(1));
    }

    @Test
    void perContainerLimitsRefuseMoreAndBecomeTheDefault() {
        setQuota("user", user, Map.of("maxMemoryBytes", 64 * MIB, "maxNanoCpus", 500_000_000L, "maxPids", 64));
        createRefused(user, Map.of("memory", 128 * MIB), "maxMemoryBytes", "Quota maxMemoryBytes is 64 MiB (67108864 bytes) per container; "
                + "you asked for 128 MiB (134217728 bytes). Ask for memory of at most 67108864, or ask an administrator to raise your quota.");
        createRefused(user, Map.of("nanoCpus", 1_000_000_000L), "maxNanoCpus", "Quota maxNanoCpus is 0.5 CPUs (500000000 nanoCpus) per "
                + "container; you asked for 1 CPU (1000000000 nanoCpus). Ask for nanoCpus of at most 500000000, or ask an administrator "
                + "to raise your quota.");
        createRefused(user, Map.of("pidsLimit", 65), "maxPids", "Quota maxPids is 64 processes per container; you asked for 65 processes. "
                + "Ask for pidsLimit of at most 64, or ask an administrator to raise your quota.");
        // without limits the container gets the quota's maxima, and runs with them
        String id = create(user, Map.of());
        as(user).get("/api/containers/" + id).then().statusCode(200)
                .body("HostConfig.Memory", equalTo((int) (64 * MIB)))
                .body("HostConfig.NanoCpus", equalTo(500_000_000))
                .body("HostConfig.PidsLimit", equalTo(64));
        as(user).post("/api/containers/" + id + "/start").then().statusCode(204);
    }

    @Test
    void totalMemoryCountsTheRunningContainers() {
        setQuota("user", user, Map.of("maxMemoryBytes", 64 * MIB, "totalMemoryBytes", 96 * MIB));
        String first = create(user, Map.of());
        String second = create(user, Map.of());
        as(user).post("/api/containers/" + first + "/start").then().statusCode(204);
        as(user).post("/api/containers/" + second + "/start").then().statusCode(403)
                .body("error", equalTo("quota_exceeded")).body("field", equalTo("totalMemoryBytes"))
                .body("message", equalTo("Quota totalMemoryBytes is 96 MiB (100663296 bytes) over your running containers; they "
                        + "already have 64 MiB (67108864 bytes) and this one asks 64 MiB (67108864 bytes). Stop a container first, "
                        + "or ask an administrator to raise your quota."));
    }

    @Test
    void volumeDiskQuotaRefusesNewVolumesOnceReached() {
        setQuota("user", user, Map.of("maxVolumeBytes", 0));
        as(user).contentType(ContentType.JSON).body(Map.of("name", "qv-" + UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/volumes").then().statusCode(403)
                .body("error", equalTo("quota_exceeded")).body("field", equalTo("maxVolumeBytes"))
                .body("message", equalTo("Quota maxVolumeBytes is 0 bytes over your volumes; they use 0 bytes. Delete data or "
                        + "volumes first, or ask an administrator to raise your quota."));
    }

    @Test
    void aRoleQuotaAppliesUnlessTheUserHasTheirOwnAndAdminsAreExempt() {
        setQuota("role", "user", Map.of("maxPids", 32));
        String withOwn = newUser();
        setQuota("user", withOwn, Map.of()); // their own quota (all unlimited) replaces the role's
        createRefused(user, Map.of("pidsLimit", 100), "maxPids", "Quota maxPids is 32 processes per container; you asked for 100 "
                + "processes. Ask for pidsLimit of at most 32, or ask an administrator to raise your quota.");
        create(withOwn, Map.of("pidsLimit", 100));
        String byAdmin = admin().contentType(ContentType.JSON).body(Map.of("image", IMAGE, "pidsLimit", 100)).post("/api/containers")
                .then().statusCode(201).extract().path("Id");
        containers.add(byAdmin);
        as(user).get("/api/quotas/me").then().body("limits.maxPids", equalTo(32));
        admin().get("/api/quotas/me").then().body("limits.maxPids", nullValue());
        // a quota set for an admin explicitly applies to them
        setQuota("user", "admin", Map.of("maxPids", 16));
        admin().contentType(ContentType.JSON).body(Map.of("image", IMAGE, "pidsLimit", 100)).post("/api/containers").then().statusCode(403)
                .body("field", equalTo("maxPids"));
    }

    @Test
    void quotasAreListedReplacedDeletedAndValidated() {
        setQuota("user", user, Map.of("maxRunning", 3, "totalNanoCpus", 2_000_000_000));
        admin().get("/api/quotas").then().statusCode(200).body("name", hasItem(user));
        Map<String, Object> row = admin().get("/api/quotas").then().extract().jsonPath().getList("findAll { it.name == '" + user + "' }",
                Map.class).get(0);
        assertThat(row).containsEntry("scope", "user").containsEntry("maxRunning", 3).containsEntry("totalNanoCpus", 2_000_000_000)
                .containsEntry("maxMemoryBytes", null);
        setQuota("user", user, Map.of("maxRunning", 5)); // a PUT replaces the whole row
        admin().get("/api/quotas").then().body("find { it.name == '" + user + "' }.maxRunning", equalTo(5))
                .body("find { it.name == '" + user + "' }.totalNanoCpus", nullValue());
        admin().contentType(ContentType.JSON).body(Map.of("maxMemoryBytes", -1)).put("/api/quotas/user/" + user).then().statusCode(400)
                .body("field", equalTo("maxMemoryBytes"));
        admin().contentType(ContentType.JSON).body(Map.of()).put("/api/quotas/team/" + user).then().statusCode(400)
                .body("field", equalTo("scope"));
        admin().delete("/api/quotas/user/" + user).then().statusCode(204);
        admin().delete("/api/quotas/user/" + user).then().statusCode(404).body("error", equalTo("quota_not_found"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void setQuota(String scope, String name, Map<String, Object> limits) {
        admin().contentType(ContentType.JSON).body(limits).put("/api/quotas/" + scope + "/" + name).then().statusCode(200)
                .body("scope", equalTo(scope)).body("name", equalTo(name));
        quotas.add(scope + "/" + name);
    }

    private String create(String who, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("image", IMAGE, "cmd", List.of("sleep", "300")));
        body.putAll(extra);
        String id = as(who).contentType(ContentType.JSON).body(body).post("/api/containers").then().statusCode(201).extract().path("Id");
        containers.add(id);
        return id;
    }

    private void createRefused(String who, Map<String, Object> extra, String limit, String message) {
        Map<String, Object> body = new HashMap<>(Map.of("image", IMAGE, "cmd", List.of("sleep", "300")));
        body.putAll(extra);
        as(who).contentType(ContentType.JSON).body(body).post("/api/containers").then().statusCode(403)
                .body("error", equalTo("quota_exceeded")).body("field", equalTo(limit)).body("message", equalTo(message));
    }

    private static String newUser() {
        String name = "quota-" + UUID.randomUUID().toString().substring(0, 8);
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    private static RequestSpecification as(String user) {
        return given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":password-of-" + user).getBytes(StandardCharsets.UTF_8)));
    }
}
