package dev.berth.web.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** /api/system: the installation's facts and a {@code docker system df} computed from the engine's real files. */
@QuarkusTest
class SystemResourceTest {
    @Inject
    ImageStoreSource source;

    private static JsonPath df() {
        return given().get("/api/system/df").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void onlyAdminsMaySeeTheSystem() {
        given().get("/api/system/df").then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "bob", roles = "user")
    void usersAreRefused() {
        given().get("/api/system/df").then().statusCode(403);
        given().get("/api/system/info").then().statusCode(403);
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void infoNamesKernelCgroupsAndDatabase() throws Exception {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        given().get("/api/system/info").then().statusCode(200)
                .body("kernel", equalTo(kernel))
                .body("cgroupVersion", matchesPattern("v2|v1.*"))
                .body("postgresVersion", matchesPattern("\\d+(\\.\\d+)?.*"))
                .body("engineRoot", not(emptyOrNullString()))
                .body("javaVersion", equalTo(System.getProperty("java.version")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void diskUsageFollowsTheFilesOfVolumesContainersAndImages() throws Exception {
        String root = given().get("/api/system/info").then().statusCode(200).extract().path("engineRoot");
        assertThat(df().getString("root")).isEqualTo(root);

        // Volumes: bytes written into a volume show up exactly, a hard link is counted once, an unused volume is reclaimable.
        String volume = "df-" + UUID.randomUUID().toString().substring(0, 8);
        String mountpoint = given().contentType(ContentType.JSON).body("{\"name\":\"" + volume + "\"}").post("/api/volumes")
                .then().statusCode(201).extract().path("mountpoint");
        JsonPath before = df();
        Files.write(Path.of(mountpoint, "data.bin"), new byte[100_000]);
        Files.createLink(Path.of(mountpoint, "same-data.bin"), Path.of(mountpoint, "data.bin"));
        JsonPath after = df();
        assertThat(after.getLong("volumes.sizeBytes") - before.getLong("volumes.sizeBytes")).isEqualTo(100_000);
        assertThat(after.getLong("volumes.reclaimableBytes") - before.getLong("volumes.reclaimableBytes")).isEqualTo(100_000);
        assertThat(after.getInt("volumes.total")).isEqualTo(before.getInt("volumes.total"));
        assertThat(after.getLong("volumeSizes.'" + volume + "'")).isEqualTo(100_000);
        assertThat(given().get("/api/system/df/volumes").then().statusCode(200).extract().jsonPath()
                .getLong("'" + volume + "'")).isEqualTo(100_000);

        // Images: an imported image adds at least its busybox binary and counts once.
        String tag = "berth-test/df:" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("berth-df-rootfs");
        Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
        long busybox = Files.size(rootfs.resolve("bin/busybox"));
        JsonPath noImage = df();
        source.store().importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, tag, List.of("/bin/sh"), List.of())));
        dev.berth.engine.container.Trees.deleteRecursively(dir);
        JsonPath withImage = df();
        assertThat(withImage.getInt("images.total")).isEqualTo(noImage.getInt("images.total") + 1);
        assertThat(withImage.getLong("images.sizeBytes") - noImage.getLong("images.sizeBytes")).isGreaterThanOrEqualTo(busybox);

        // Containers: a created container mounting the volume makes image and volume active; its writable layer counts.
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + tag + "\",\"cmd\":[\"true\"],\"mounts\":[{\"type\":\"volume\",\"source\":\"" + volume
                        + "\",\"target\":\"/data\"}]}")
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        try {
            JsonPath created = df();
            assertThat(created.getInt("containers.total")).isEqualTo(withImage.getInt("containers.total") + 1);
            assertThat(created.getInt("images.active")).isGreaterThanOrEqualTo(1);
            assertThat(created.getInt("volumes.active")).isEqualTo(after.getInt("volumes.active") + 1);
            assertThat(created.getLong("volumes.reclaimableBytes")).isEqualTo(after.getLong("volumes.reclaimableBytes") - 100_000);
            Path upper = Path.of(root, "containers", id, "rootfs", "upper");
            Files.write(upper.resolve("scratch.bin"), new byte[30_000]);
            JsonPath written = df();
            assertThat(written.getLong("containers.sizeBytes") - created.getLong("containers.sizeBytes")).isEqualTo(30_000);
            assertThat(written.getLong("containers.reclaimableBytes") - created.getLong("containers.reclaimableBytes")).isEqualTo(30_000);
            assertThat(written.getLong("filesystemBytes")).isGreaterThan(written.getLong("freeBytes"));
        } finally {
            given().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
            given().delete("/api/volumes/" + volume).then().statusCode(204);
            given().delete("/api/images/" + tag).then().statusCode(200);
        }
    }
}
