package dev.berth.web.image;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The image list says which containers use an image (names only to those who may see them); tag errors name the field. */
@QuarkusTest
class ImageListAndTagResourceTest {
    static final String ADMIN_PASSWORD = "test-admin-password";

    @Inject
    ImageStore images;

    @Test
    void listShowsUsersOfAnImageAndRemovalIsRefusedWhileOneExists() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ref = "list-test/busybox:" + suffix;
        Path dir = Files.createTempDirectory("berth-image-list");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, ref, List.of("/bin/sh"), List.of())));
        } finally {
            dev.berth.engine.image.ContentStore.deleteTree(dir);
        }
        String imageId = images.find(ref).orElseThrow().id();
        String name = "uses-" + suffix;
        String containerId = admin().contentType(ContentType.JSON).body(Map.of("image", ref, "name", name))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        try {
            admin().get("/api/images").then().statusCode(200)
                    .body("find { it.id == '" + imageId + "' }.tags", equalTo(List.of("docker.io/" + ref)))
                    .body("find { it.id == '" + imageId + "' }.usedBy.name", equalTo(List.of(name)))
                    .body("find { it.id == '" + imageId + "' }.usedBy.id", equalTo(List.of(containerId)))
                    .body("find { it.id == '" + imageId + "' }.usedByOthers", equalTo(0));

            // another (non-admin) user learns that the image is in use, but not the admin's container name
            String user = "list-user-" + suffix;
            admin().contentType(ContentType.JSON)
                    .body(Map.of("username", user, "password", "password-" + suffix, "role", "user"))
                    .post("/api/users").then().statusCode(201);
            given().auth().preemptive().basic(user, "password-" + suffix).get("/api/images").then().statusCode(200)
                    .body("find { it.id == '" + imageId + "' }.usedBy", hasSize(0))
                    .body("find { it.id == '" + imageId + "' }.usedByOthers", equalTo(1));

            admin().delete("/api/images/" + ref).then().statusCode(409).body("error", equalTo("image_in_use"))
                    .body("message", containsString(containerId));
            // forced: the name goes, the image stays for its container (as Docker does)
            admin().delete("/api/images/" + ref + "?force=true").then().statusCode(200)
                    .body("untagged", equalTo(List.of("docker.io/" + ref))).body("deleted", hasSize(0));
            admin().get("/api/images/" + imageId).then().statusCode(200).body("tags", hasSize(0));
            admin().get("/api/images").then().statusCode(200)
                    .body("find { it.id == '" + imageId + "' }.usedBy.name", equalTo(List.of(name)));
        } finally {
            admin().delete("/api/containers/" + containerId + "?force=true").then().statusCode(204);
        }
        admin().get("/api/images").then().body("find { it.id == '" + imageId + "' }.usedBy", hasSize(0));
        admin().delete("/api/images/" + imageId).then().statusCode(200).body("deleted", equalTo(List.of(imageId)));
        admin().get("/api/images/" + imageId).then().statusCode(404);
    }

    @Test
    void tagErrorsNameTheField() throws Exception {
        String ref = "tag-test/busybox:" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("berth-image-tag");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, ref, List.of("/bin/sh"), List.of())));
        } finally {
            dev.berth.engine.image.ContentStore.deleteTree(dir);
        }
        tag(ref, "Not A Name!").statusCode(400).body("field", equalTo("target"))
                .body("error", equalTo("invalid_reference")).body("message", containsString("Not A Name!"));
        tag(ref, "team/app@sha256:" + "0".repeat(64)).statusCode(400).body("field", equalTo("target"))
                .body("error", equalTo("invalid_tag"));
        tag(ref, "").statusCode(400).body("field", equalTo("target"));
        tag("never/pulled:1", "team/app:1").statusCode(404).body("error", equalTo("image_not_found"));
        tag(ref, "team/app:copy").statusCode(201).body("tagged", equalTo("docker.io/team/app:copy"));
        admin().get("/api/images/team/app:copy").then().statusCode(200);
        admin().delete("/api/images/team/app:copy").then().statusCode(200);
        admin().delete("/api/images/" + ref).then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse tag(String source, String target) {
        return admin().contentType(ContentType.JSON).body(Map.of("source", source, "target", target))
                .post("/api/images/tag").then();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }
}
