package dev.berth.web.terminal;

import static dev.berth.web.terminal.SharingFixture.ADMIN;
import static dev.berth.web.terminal.SharingFixture.admin;
import static dev.berth.web.terminal.SharingFixture.as;
import static dev.berth.web.terminal.SharingFixture.user;
import static dev.berth.web.terminal.SharingFixture.within;
import static dev.berth.web.terminal.WsClient.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.sharing.Tokens;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Share links over the real server and real WebSockets: created with the token shown once, listed without it,
 * joined by guests as viewers or drivers, refused when used up, expired or revoked, and revoking closes the
 * guests' sockets within a second. Guests reach their one terminal and nothing else.
 */
@QuarkusTest
class ShareLinksTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;

    private SharingFixture f;

    @BeforeEach
    void setUp() {
        f = new SharingFixture(base, registry);
    }

    @AfterEach
    void cleanUp() {
        f.cleanUp();
    }

    private static Response createLink(String terminal, String role, Long expiresIn, Integer maxUses) {
        Map<String, Object> body = new HashMap<>();
        body.put("role", role);
        if (expiresIn != null) body.put("expiresInSeconds", expiresIn);
        if (maxUses != null) body.put("maxUses", maxUses);
        return admin().contentType(ContentType.JSON).body(body).post("/api/terminals/" + terminal + "/links");
    }

    private static String tokenOf(Response created) {
        String url = created.jsonPath().getString("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Joins as a guest; returns the guest cookie header value. */
    private static String join(String token, String name) {
        Response r = given().contentType(ContentType.JSON).body(Map.of("displayName", name)).post("/api/join/" + token);
        r.then().statusCode(201);
        assertThat(r.getHeader("Set-Cookie")).contains("berth_guest=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        return "berth_guest=" + r.cookie("berth_guest");
    }

    @Test
    void aLinkLivesFromCreationThroughGuestsToRevocation() throws Exception {
        String t = f.ptyTerminal();
        Response created = createLink(t, "view", 3600L, 2);
        created.then().statusCode(201).body("role", equalTo("view")).body("maxUses", equalTo(2)).body("uses", equalTo(0))
                .body("createdBy", equalTo("admin")).body("state", equalTo("active"));
        String token = tokenOf(created);
        assertThat(created.jsonPath().getString("url")).isEqualTo(base + "join/" + token);
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+"); // 256 random bits, URL-safe
        long linkId = created.jsonPath().getLong("id");

        // listed without the secret
        String listed = admin().get("/api/terminals/" + t + "/links").then().statusCode(200).extract().asString();
        assertThat(listed).contains("\"id\":" + linkId).doesNotContain(token).doesNotContain("\"url\"");
        // the page can ask whether the link still works
        given().get("/api/join/" + token).then().statusCode(200).body("role", equalTo("view")).body("usesLeft", equalTo(2));

        Response joined = given().contentType(ContentType.JSON).body(Map.of("displayName", "Ann")).post("/api/join/" + token);
        joined.then().statusCode(201).body("terminalId", equalTo(t)).body("role", equalTo("viewer"))
                .body("displayName", equalTo("Ann"));
        String ann = "berth_guest=" + joined.cookie("berth_guest");
        String annPrincipal = joined.jsonPath().getString("user");
        assertThat(annPrincipal).matches("guest:Ann#\\d+");
        String ben = join(token, "Ben");

        // used up
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Cid")).post("/api/join/" + token)
                .then().statusCode(410).body("error", equalTo("link_used_up"));
        given().get("/api/join/" + token).then().statusCode(410).body("error", equalTo("link_used_up"));
        admin().get("/api/terminals/" + t + "/links").then().body("[0].uses", equalTo(2)).body("[0].state", equalTo("used-up"));

        // the guests watch; their input is refused
        WsClient owner = f.connect(t, ADMIN, null);
        WsClient a = f.connect(t, null, ann);
        WsClient b = f.connect(t, null, ben);
        assertThat(a.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");
        assertThat(a.controls("hello").get(0).get("user").asText()).isEqualTo(annPrincipal);
        owner.keys("echo SHARED$((40+2))\r");
        await("owner's output on the guests' screens", () -> a.text().contains("SHARED42") && b.text().contains("SHARED42"));
        a.keys("echo GUEST\r");
        await("guest input refused", () -> !a.controls("error").isEmpty());
        assertThat(a.controls("error").get(0).get("code").asText()).isEqualTo("read-only");

        // revoke: both guests' sockets close within a second, their cookies stop working, the link refuses joins
        admin().delete("/api/links/" + linkId).then().statusCode(204);
        assertThat(within(1000, () -> a.closed() && b.closed())).as("guest sockets closed within 1 s of revoking").isTrue();
        assertThat(a.closeCode).isEqualTo(4403);
        assertThat(b.closeCode).isEqualTo(4403);
        assertThat(owner.closed()).isFalse();
        given().header("Cookie", ann).get("/api/terminals/" + t).then().statusCode(401);
        assertThatThrownBy(() -> WsClient.connect(base, t, null, null, ann)).hasCauseInstanceOf(WebSocketHandshakeException.class);
        given().get("/api/join/" + token).then().statusCode(410).body("error", equalTo("link_revoked"));
        admin().get("/api/terminals/" + t + "/links").then().statusCode(200).body("id", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem((int) linkId))); // revoked links leave the list
        admin().delete("/api/links/" + linkId).then().statusCode(204); // twice: harmless

        // every step is in the audit log, the joins under the guests' names
        io.restassured.path.json.JsonPath audit = admin().queryParam("target", t).get("/api/audit").then().statusCode(200)
                .extract().jsonPath();
        assertThat(audit.getList("entries.action", String.class))
                .contains("link.create", "link.join", "link.revoke");
        assertThat(audit.getList("entries.findAll { it.action == 'link.join' }.actor", String.class))
                .hasSize(2).contains(annPrincipal).anyMatch(actor -> actor.startsWith("guest:Ben#"));
        assertThat(audit.getList("entries.findAll { it.action == 'link.create' }.actor", String.class)).containsOnly("admin");
    }

    @Test
    void aDriveLinkLetsTheGuestType() throws Exception {
        String t = f.ptyTerminal();
        String token = tokenOf(createLink(t, "drive", null, null).then().statusCode(201).body("maxUses", nullValue()).extract().response());
        String cookie = join(token, "Dee Driver");
        WsClient g = f.connect(t, null, cookie);
        assertThat(g.controls("hello").get(0).get("role").asText()).isEqualTo("driver");
        g.keys("echo GUEST$((6*7))TYPED\r");
        await("the guest's typing runs", () -> g.text().contains("GUEST42TYPED"));
    }

    @Test
    void anExpiredLinkRefusesNewGuests() throws Exception {
        String t = f.ptyTerminal();
        String token = tokenOf(createLink(t, "view", 1L, null).then().statusCode(201).extract().response());
        assertThat(within(5000, () -> given().get("/api/join/" + token).statusCode() == 410)).isTrue();
        given().contentType(ContentType.JSON).body(Map.of("displayName", "Late")).post("/api/join/" + token)
                .then().statusCode(410).body("error", equalTo("link_expired"));
    }

    @Test
    void refusalsSayWhatIsWrong() throws Exception {
        String t = f.ptyTerminal();
        String bob = user("bob");
        createLink(t, "owner", null, null).then().statusCode(400).body("field", equalTo("role"));
        createLink(t, "view", 0L, null).then().statusCode(400).body("field", equalTo("expiresInSeconds"));
        createLink(t, "view", null, 0).then().statusCode(400).body("field", equalTo("maxUses"));
        admin().contentType(ContentType.JSON).body(Map.of("role", "view")).post("/api/terminals/no-such-terminal/links")
                .then().statusCode(404);
        // not shared with bob: he learns nothing
        as(bob).contentType(ContentType.JSON).body(Map.of("role", "view")).post("/api/terminals/" + t + "/links")
                .then().statusCode(404);
        as(bob).get("/api/terminals/" + t + "/links").then().statusCode(404);
        long id = createLink(t, "view", null, null).jsonPath().getLong("id");
        as(bob).delete("/api/links/" + id).then().statusCode(404);
        given().get("/api/join/" + Tokens.newToken()).then().statusCode(404).body("error", equalTo("link_not_found"));
        given().get("/api/join/short").then().statusCode(404).body("error", equalTo("link_not_found"));
        String token = tokenOf(createLink(t, "view", null, null));
        given().contentType(ContentType.JSON).body(Map.of("displayName", " ")).post("/api/join/" + token)
                .then().statusCode(400).body("field", equalTo("displayName"));
        given().contentType(ContentType.JSON).body(Map.of("displayName", "a#b")).post("/api/join/" + token)
                .then().statusCode(400).body("field", equalTo("displayName"));
        // the terminal ended: the link says so
        registry.close(t, "test");
        given().get("/api/join/" + token).then().statusCode(410).body("error", equalTo("terminal_ended"));
    }

    @Test
    void aGuestReachesItsTerminalAndNothingElse() throws Exception {
        String t = f.ptyTerminal();
        String other = f.ptyTerminal();
        String cookie = join(tokenOf(createLink(t, "drive", null, null)), "Gus");
        given().header("Cookie", cookie).get("/api/terminals/" + t).then().statusCode(200).body("role", equalTo("driver"));
        given().header("Cookie", cookie).get("/api/session").then().statusCode(200).body("role", equalTo("guest"))
                .body("displayName", equalTo("Gus"));
        // every other REST endpoint: the guest is nobody
        for (String path : new String[] { "/api/terminals/" + other, "/api/containers", "/api/images",
                "/api/users", "/api/networks", "/api/volumes", "/api/terminals/" + t + "/links", "/api/terminals/" + t + "/recordings",
                "/api/system/info" }) {
            given().header("Cookie", cookie).get(path).then().statusCode(401);
        }
        // the terminal list shows the guest its one terminal
        given().header("Cookie", cookie).get("/api/terminals").then().statusCode(200).body("id", org.hamcrest.Matchers.contains(t));
        given().header("Cookie", cookie).contentType(ContentType.JSON).body(Map.of("role", "view"))
                .post("/api/terminals/" + t + "/links").then().statusCode(401);
        given().header("Cookie", cookie).post("/api/terminals/" + t + "/recordings").then().statusCode(401);
        given().header("Cookie", cookie).contentType(ContentType.JSON).body(Map.of("image", "x"))
                .post("/api/containers").then().statusCode(401);
        given().header("Cookie", cookie).delete("/api/links/1").then().statusCode(401);
        // and every other terminal's WebSocket
        WsClient mine = f.connect(t, null, cookie);
        assertThat(mine.controls("hello").get(0).get("role").asText()).isEqualTo("driver");
        assertThatThrownBy(() -> WsClient.connect(base, other, null, null, cookie))
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) catchCause(() -> WsClient.connect(base, other, null, null, cookie)))
                .getResponse().statusCode()).isEqualTo(401);
    }

    private static Throwable catchCause(ThrowingRunnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
