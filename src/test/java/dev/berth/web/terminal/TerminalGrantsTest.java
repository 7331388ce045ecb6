package dev.berth.web.terminal;

import static dev.berth.web.terminal.SharingFixture.ADMIN;
import static dev.berth.web.terminal.SharingFixture.admin;
import static dev.berth.web.terminal.SharingFixture.as;
import static dev.berth.web.terminal.SharingFixture.auth;
import static dev.berth.web.terminal.SharingFixture.login;
import static dev.berth.web.terminal.SharingFixture.user;
import static dev.berth.web.terminal.SharingFixture.within;
import static dev.berth.web.terminal.WsClient.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.sharing.GrantAccessRule;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Grants on a container's terminals over the real server, a real container and real WebSockets: a drive grant
 * types, a view grant watches; revoking or lowering a grant, disabling the user or logging out closes their
 * sockets within a second; only the owner or an admin manages grants.
 */
@QuarkusTest
class TerminalGrantsTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;
    @Inject
    ImageStoreSource source;
    @Inject
    GrantAccessRule grantRule;

    private SharingFixture f;

    @BeforeEach
    void setUp() throws Exception {
        SharingFixture.image(source);
        f = new SharingFixture(base, registry);
    }

    @AfterEach
    void cleanUp() {
        f.cleanUp();
    }

    private static void grant(String container, String user, String role, int status) {
        admin().contentType(ContentType.JSON).body(Map.of("role", role)).put("/api/containers/" + container + "/grants/" + user)
                .then().statusCode(status);
    }

    @Test
    void aDriveGrantTypesAViewGrantWatches() throws Exception {
        String id = f.shContainerWithTerminal();
        String bob = user("bob"), carol = user("carol"), dave = user("dave");
        var hub = registry.find(id).orElseThrow();
        assertThat(grantRule.roleFor(bob, Set.of("user"), hub)).isEmpty();

        grant(id, bob, "drive", 201);
        grant(id, carol, "view", 201);
        grant(id, carol, "view", 200); // again: unchanged, not new
        admin().get("/api/containers/" + id + "/grants").then().statusCode(200)
                .body("user", containsInAnyOrder(bob, carol)).body("grantedBy", contains("admin", "admin"));
        assertThat(grantRule.roleFor(bob, Set.of("user"), hub)).contains(TerminalRole.DRIVER);
        assertThat(grantRule.roleFor(carol, Set.of("user"), hub)).contains(TerminalRole.VIEWER);
        assertThat(grantRule.roleFor(dave, Set.of("user"), hub)).isEmpty();
        // a guest never gets anything from grants, whatever its name
        assertThat(grantRule.roleFor(bob, Set.of("guest"), hub)).isEmpty();

        // a grantee sees the container (and may open its terminal); others do not
        as(carol).get("/api/containers/" + id).then().statusCode(200);
        as(carol).post("/api/containers/" + id + "/terminal").then().statusCode(200).body("terminalId", equalTo(id));
        as(dave).get("/api/containers/" + id).then().statusCode(404);

        WsClient b = f.connect(id, auth(bob), null);
        WsClient c = f.connect(id, auth(carol), null);
        assertThat(b.controls("hello").get(0).get("role").asText()).isEqualTo("driver");
        assertThat(c.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");
        b.keys("echo BOB$((40+2))\r");
        await("bob's output on carol's screen", () -> c.text().contains("BOB42"));
        WsClient d = f.connect(id, auth(dave), null); // no grant: no terminal
        assertThat(d.closeCode).isEqualTo(4404);
        c.keys("echo CAROL\r");
        await("carol refused", () -> !c.controls("error").isEmpty());
        assertThat(c.controls("error").get(0).get("code").asText()).isEqualTo("read-only");
    }

    @Test
    void aGrantReachesTheContainersExecTerminalsToo() throws Exception {
        String id = f.shContainerWithTerminal();
        String bob = user("bob");
        String exec = admin().contentType(ContentType.JSON).body("{\"cmd\":[\"sh\"]}").post("/api/containers/" + id + "/exec")
                .then().statusCode(201).extract().path("terminalId");
        assertThat(grantRule.roleFor(bob, Set.of("user"), registry.find(exec).orElseThrow())).isEmpty();
        grant(id, bob, "drive", 201);
        assertThat(grantRule.roleFor(bob, Set.of("user"), registry.find(exec).orElseThrow())).contains(TerminalRole.DRIVER);
        WsClient b = f.connect(exec, auth(bob), null);
        assertThat(b.controls("hello").get(0).get("role").asText()).isEqualTo("driver");
        b.keys("echo EXEC$((6*7))\r");
        await("bob types in the exec terminal", () -> b.text().contains("EXEC42"));
        registry.close(exec, "test over");
    }

    @Test
    void revokingOrLoweringAGrantClosesTheSocketsItAllowedWithinASecond() throws Exception {
        String id = f.shContainerWithTerminal();
        String bob = user("bob"), carol = user("carol");
        grant(id, bob, "drive", 201);
        grant(id, carol, "drive", 201);
        WsClient owner = f.connect(id, ADMIN, null);
        WsClient b = f.connect(id, auth(bob), null);
        WsClient c = f.connect(id, auth(carol), null);
        assertThat(b.controls("hello").get(0).get("role").asText()).isEqualTo("driver");

        admin().delete("/api/containers/" + id + "/grants/" + bob).then().statusCode(204);
        assertThat(within(1000, b::closed)).as("bob's socket closed within 1 s of the revocation").isTrue();
        assertThat(b.closeCode).isEqualTo(4403);
        assertThat(grantRule.roleFor(bob, Set.of("user"), registry.find(id).orElseThrow())).isEmpty();
        assertThat(f.connect(id, auth(bob), null).closeCode).as("bob reconnecting").isEqualTo(4404);

        grant(id, carol, "view", 200); // lowered: drive -> view
        assertThat(within(1000, c::closed)).as("carol's driver socket closed within 1 s of the change").isTrue();
        assertThat(c.closeCode).isEqualTo(4403);
        java.util.List<String> audited = admin().queryParam("target", id).queryParam("action", "share.").get("/api/audit")
                .then().statusCode(200).extract().jsonPath().getList("entries.detail", String.class);
        assertThat(audited).as("grants and the revocation in the audit log, newest first")
                .containsSubsequence(carol + " view", bob, carol + " drive", bob + " drive");
        WsClient again = f.connect(id, auth(carol), null);
        assertThat(again.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");

        assertThat(owner.closed()).as("the owner's socket is untouched").isFalse();
        admin().delete("/api/containers/" + id + "/grants/" + bob).then().statusCode(404).body("error", equalTo("grant_not_found"));
    }

    @Test
    void disablingTheUserOrLoggingOutClosesTheirSocketsWithinASecond() throws Exception {
        String id = f.shContainerWithTerminal();
        String bob = user("bob"), carol = user("carol");
        grant(id, bob, "view", 201);
        grant(id, carol, "view", 201);

        SharingFixture.Login bobLogin = login(bob);
        WsClient b = f.connect(id, null, bobLogin.cookie());
        assertThat(b.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");
        given().header("Cookie", bobLogin.cookie()).header("X-CSRF-Token", bobLogin.csrf()).delete("/api/session")
                .then().statusCode(204);
        assertThat(within(1000, b::closed)).as("socket closed within 1 s of logging out").isTrue();
        assertThat(b.closeCode).isEqualTo(4401);

        WsClient c = f.connect(id, auth(carol), null);
        long userId = admin().get("/api/users").jsonPath().getLong("find { it.username == '" + carol + "' }.id");
        admin().contentType(ContentType.JSON).body(Map.of("disabled", true)).patch("/api/users/" + userId).then().statusCode(200);
        assertThat(within(1000, c::closed)).as("socket closed within 1 s of disabling the user").isTrue();
        assertThat(c.closeCode).isEqualTo(4401);
    }

    @Test
    void onlyTheOwnerOrAnAdminManagesGrants() {
        String id = f.shContainerWithTerminal();
        String bob = user("bob"), dave = user("dave");
        grant(id, bob, "view", 201);
        // a grantee sees the container but cannot share it; anyone else learns nothing
        as(bob).get("/api/containers/" + id + "/grants").then().statusCode(403).body("error", equalTo("forbidden"));
        as(dave).get("/api/containers/" + id + "/grants").then().statusCode(404).body("error", equalTo("not_found"));
        as(dave).contentType(ContentType.JSON).body(Map.of("role", "drive")).put("/api/containers/" + id + "/grants/" + dave)
                .then().statusCode(404);
        as(bob).delete("/api/containers/" + id + "/grants/" + bob).then().statusCode(403);
        given().get("/api/containers/" + id + "/grants").then().statusCode(401);
        admin().get("/api/containers/no-such-container/grants").then().statusCode(404).body("error", equalTo("not_found"));
        // clear errors
        admin().contentType(ContentType.JSON).body(Map.of("role", "admin")).put("/api/containers/" + id + "/grants/" + bob)
                .then().statusCode(400).body("field", equalTo("role"));
        admin().contentType(ContentType.JSON).body(Map.of("role", "view")).put("/api/containers/" + id + "/grants/nobody-here")
                .then().statusCode(404).body("error", equalTo("user_not_found"));
    }
}
