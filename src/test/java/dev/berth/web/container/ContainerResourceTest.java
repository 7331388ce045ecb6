package dev.berth.web.container;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.testing.TestRootfs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

/** Every bad container or volume request gets a clear JSON error; bind mounts are for admins only. */
@QuarkusTest
class ContainerResourceTest {
    static final String IMAGE = "berth-test/busybox:containers";
    static final String NO_CMD = "berth-test/nocmd:containers";

    @Inject
    ImageStoreSource source;
    ImageStore images;

    @BeforeEach
    void images() throws Exception {
        images = source.store();
        if (images.find(IMAGE).isEmpty() || images.find(NO_CMD).isEmpty()) { // other classes import IMAGE alone
            Path dir = Files.createTempDirectory("berth-rest-rootfs");
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of())));
            images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, NO_CMD, List.of(), List.of())));
            dev.berth.engine.container.Trees.deleteRecursively(dir);
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void unauthenticatedRequestsAreRefused() {
        given().get("/api/containers").then().statusCode(401).body("error", equalTo("unauthenticated"));
        given().get("/api/volumes").then().statusCode(401);
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void createInspectListRemove() {
        String name = unique("rest");
        String id = given().contentType(ContentType.JSON)
                .body("{\"image\":\"" + IMAGE + "\",\"name\":\"" + name + "\",\"cmd\":[\"echo\",\"hi\"],\"labels\":{\"suite\":\"rest\"}}")
                .post("/api/containers").then().statusCode(201).body("Id", matchesPattern("[0-9a-f]{64}"))
                .extract().path("Id");
        given().get("/api/containers/" + name).then().statusCode(200)
                .body("Id", equalTo(id)).body("Name", equalTo("/" + name)).body("State.Status", equalTo("created"))
                .body("Path", equalTo("echo")).body("Config.Labels.suite", equalTo("rest"));
        given().get("/api/containers?all=true&label=suite=rest").then().statusCode(200).body("name", hasItem(name));
        given().delete("/api/containers/" + id.substring(0, 12)).then().statusCode(204);
        given().get("/api/containers/" + id).then().statusCode(404).body("error", equalTo("container_not_found"))
                .body("message", containsString(id));
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void badRequestsGetClearJsonErrors() {
        post("{\"image\":\"nosuch/thing:9\"}").statusCode(404).body("error", equalTo("image_not_found"))
                .body("message", containsString("nosuch/thing:9"));
        post("{\"image\":\"" + IMAGE + "\",\"name\":\"bad name!\"}").statusCode(400).body("field", equalTo("name"))
                .body("message", containsString("bad name!"));
        post("{\"image\":\"" + IMAGE + "\",\"memory\":1000}").statusCode(400).body("field", equalTo("memory"))
                .body("message", containsString("6 MiB"));
        post("{\"image\":\"" + IMAGE + "\",\"nanoCpus\":-1}").statusCode(400).body("field", equalTo("nanoCpus"));
        post("{\"image\":\"" + IMAGE + "\",\"pidsLimit\":1}").statusCode(400).body("field", equalTo("pidsLimit"));
        post("{\"image\":\"" + IMAGE + "\",\"restartPolicy\":\"sometimes\"}").statusCode(400).body("field", equalTo("restartPolicy"));
        post("{\"image\":\"" + NO_CMD + "\"}").statusCode(400).body("field", equalTo("cmd"))
                .body("message", containsString("neither"));
        post("{\"name\":\"x1\"}").statusCode(400).body("field", equalTo("image"));
        post("{\"image\": ").statusCode(400).body("error", org.hamcrest.Matchers.notNullValue());
        String name = unique("dup");
        String holder = post("{\"image\":\"" + IMAGE + "\",\"name\":\"" + name + "\"}").statusCode(201).extract().path("Id");
        post("{\"image\":\"" + IMAGE + "\",\"name\":\"" + name + "\"}").statusCode(409).body("error", equalTo("name_in_use"))
                .body("message", containsString(holder));
        given().post("/api/containers/" + holder + "/kill").then().statusCode(409).body("error", equalTo("container_not_running"));
        given().post("/api/containers/" + holder + "/wait?condition=sometime").then().statusCode(400).body("field", equalTo("condition"));
        given().get("/api/containers/" + holder + "/logs?tail=many").then().statusCode(400).body("field", equalTo("tail"));
        given().get("/api/containers/" + holder + "/archive").then().statusCode(400).body("field", equalTo("path"));
        given().get("/api/containers/" + holder + "/archive?path=/no/such").then().statusCode(404).body("error", equalTo("path_not_found"));
        given().post("/api/containers/ghost-container/start").then().statusCode(404).body("error", equalTo("container_not_found"));
        given().delete("/api/containers/" + holder).then().statusCode(204);
    }

    @Test
    @TestSecurity(user = "alice", roles = "user")
    void bindMountsAndHostNetworkNeedAdmin() {
        post("{\"image\":\"" + IMAGE + "\",\"binds\":[\"/tmp:/host-tmp\"]}").statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("Bind mounts"));
        post("{\"image\":\"" + IMAGE + "\",\"mounts\":[{\"type\":\"bind\",\"source\":\"/tmp\",\"target\":\"/t\"}]}").statusCode(403);
        post("{\"image\":\"" + IMAGE + "\",\"networkMode\":\"host\"}").statusCode(403).body("message", containsString("host network"));
        String id = post("{\"image\":\"" + IMAGE + "\",\"volumes\":[\"" + unique("vol") + ":/data\"]}").statusCode(201).extract().path("Id");
        given().delete("/api/containers/" + id).then().statusCode(204);
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void adminsMayBindMount() {
        String id = post("{\"image\":\"" + IMAGE + "\",\"binds\":[\"/tmp:/host-tmp:ro\"]}").statusCode(201).extract().path("Id");
        given().get("/api/containers/" + id).then().body("HostConfig.Binds[0]", equalTo("/tmp:/host-tmp:ro"))
                .body("Mounts[0].RW", equalTo(false));
        given().delete("/api/containers/" + id).then().statusCode(204);
        post("{\"image\":\"" + IMAGE + "\",\"binds\":[\"nocolon\"]}").statusCode(400).body("field", equalTo("binds"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void volumesCrudAndInUseGuard() {
        String vol = unique("data");
        given().contentType(ContentType.JSON).body("{\"name\":\"" + vol + "\",\"labels\":{\"k\":\"v\"}}").post("/api/volumes")
                .then().statusCode(201).body("name", equalTo(vol)).body("driver", equalTo("local"));
        given().contentType(ContentType.JSON).body("{\"name\":\"bad/name\"}").post("/api/volumes")
                .then().statusCode(400).body("field", equalTo("name"));
        String id = post("{\"image\":\"" + IMAGE + "\",\"volumes\":[\"" + vol + ":/data\"]}").statusCode(201).extract().path("Id");
        given().get("/api/volumes/" + vol).then().statusCode(200).body("usedBy", hasItem(id)).body("labels.k", equalTo("v"));
        given().delete("/api/volumes/" + vol).then().statusCode(409).body("error", equalTo("volume_in_use"))
                .body("message", containsString(id.substring(0, 12)));
        given().get("/api/volumes").then().statusCode(200).body("name", hasItem(vol));
        given().delete("/api/containers/" + id).then().statusCode(204);
        given().delete("/api/volumes/" + vol).then().statusCode(204);
        given().get("/api/volumes/" + vol).then().statusCode(404).body("error", equalTo("volume_not_found"));
        assertThat(vol).isNotBlank();
    }

    @Test
    @TestSecurity(user = "admin", roles = "admin")
    void anImageInUseCannotBeRemoved() throws Exception {
        String tag = "berth-test/inuse:" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = Files.createTempDirectory("berth-rest-rootfs");
        Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
        // content of its own: an image other tests imported with the same bytes has other tags, and removing one
        // of several tags is allowed even while a container uses the image
        Files.writeString(rootfs.resolve("unique-" + tag.substring(tag.indexOf(':') + 1)), tag);
        images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, tag, List.of("/bin/sh"), List.of())));
        dev.berth.engine.container.Trees.deleteRecursively(dir);
        String id = post("{\"image\":\"" + tag + "\"}").statusCode(201).extract().path("Id");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> images.remove(tag, false))
                .isInstanceOfSatisfying(dev.berth.engine.EngineException.class, e -> {
                    assertThat(e.reason()).isEqualTo(dev.berth.engine.EngineException.Reason.CONFLICT);
                    assertThat(e.getMessage()).contains(id);
                });
        given().delete("/api/containers/" + id).then().statusCode(204);
        images.remove(tag, false);
        assertThat(images.find(tag)).isEmpty();
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/containers").then();
    }
}
