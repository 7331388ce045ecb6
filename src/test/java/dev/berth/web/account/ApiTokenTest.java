package dev.berth.web.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Personal API tokens: created once, stored hashed, used as Bearer for REST and WebSockets, revoked, expired. */
@QuarkusTest
class ApiTokenTest {
    static final String ADMIN_PASSWORD = "test-admin-password";

    @Inject
    DataSource dataSource;
    @Inject
    TerminalRegistry registry;
    @TestHTTPResource("/")
    URI base;

    static String user() {
        String name = "tok-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "password-of-" + user);
    }

    static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    static JsonPath create(String user, Map<String, Object> body) {
        return as(user).contentType(ContentType.JSON).body(body).post("/api/tokens").then().statusCode(201).extract().jsonPath();
    }

    @Test
    void createUseAndRevoke() throws Exception {
        String alice = user();
        JsonPath created = create(alice, Map.of("name", "backup script"));
        String token = created.getString("token");
        long id = created.getLong("id");
        assertThat(token).startsWith("berth_").hasSizeGreaterThan(40);
        assertThat(created.getString("prefix")).isEqualTo(token.substring(0, 12));
        assertThat((Object) created.get("expiresAt")).isNull();

        // listed without the secret
        String list = as(alice).get("/api/tokens").then().statusCode(200).extract().asString();
        assertThat(list).contains("backup script").contains(created.getString("prefix")).doesNotContain(token);

        // stored hashed: the row holds SHA-256(secret), nowhere the secret
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT * FROM api_tokens WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("token_hash")).isEqualTo(sha256(token));
                for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                    assertThat(String.valueOf(rs.getObject(col))).doesNotContain(token.substring(12));
                }
            }
        }

        // Bearer works for reads and for changes, without a CSRF token
        bearer(token).get("/api/session").then().statusCode(200).body("username", equalTo(alice)).body("role", equalTo("user"));
        bearer(token).contentType(ContentType.JSON).body(Map.of("name", "made by a token")).post("/api/tokens")
                .then().statusCode(201);
        // a user's token carries the user's role, not more
        bearer(token).get("/api/audit").then().statusCode(403);
        // someone else cannot revoke it
        as(user()).delete("/api/tokens/" + id).then().statusCode(404).body("error", equalTo("token_not_found"));

        as(alice).delete("/api/tokens/" + id).then().statusCode(204);
        bearer(token).get("/api/session").then().statusCode(401);
        assertThat(as(alice).get("/api/tokens").then().extract().jsonPath().getList("name")).doesNotContain("backup script");

        List<Map<String, Object>> audit = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).queryParam("actor", alice)
                .queryParam("action", "token.").get("/api/audit").then().statusCode(200).extract().jsonPath().getList("entries");
        assertThat(audit).extracting(e -> e.get("action")).containsExactly("token.revoke", "token.create", "token.create");
        assertThat(audit).allSatisfy(e -> assertThat(e.toString()).doesNotContain(token));
    }

    @Test
    void expiredUnknownAndDisabledTokensAreRefused() throws Exception {
        String bob = user();
        JsonPath created = create(bob, Map.of("name", "short lived", "expiresInDays", 1));
        String token = created.getString("token");
        assertThat(created.getString("expiresAt")).isNotNull();
        bearer(token).get("/api/session").then().statusCode(200);
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = ?")) {
            st.setLong(1, created.getLong("id"));
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        bearer(token).get("/api/session").then().statusCode(401);
        assertThat(as(bob).get("/api/tokens").then().extract().jsonPath().getBoolean("find { it.name == 'short lived' }.expired"))
                .isTrue();

        bearer("berth_" + "x".repeat(43)).get("/api/session").then().statusCode(401);
        bearer("not-a-berth-token").get("/api/session").then().statusCode(401);

        as(bob).contentType(ContentType.JSON).body(Map.of("name", "x", "expiresInDays", 0)).post("/api/tokens")
                .then().statusCode(400).body("field", equalTo("expiresInDays"));
        as(bob).contentType(ContentType.JSON).body(Map.of("name", " ")).post("/api/tokens")
                .then().statusCode(400).body("field", equalTo("name"));

        String live = create(bob, Map.of("name", "until disabled")).getString("token");
        long bobId = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).get("/api/users").then().extract()
                .jsonPath().getLong("find { it.username == '" + bob + "' }.id");
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON).body(Map.of("disabled", true))
                .patch("/api/users/" + bobId).then().statusCode(200);
        bearer(live).get("/api/session").then().statusCode(401);
    }

    @Test
    void bearerOpensATerminalWebSocket() throws Exception {
        String carol = user();
        String token = create(carol, Map.of("name", "terminal script")).getString("token");
        String terminal = "tok-t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(terminal, carol, new PtyProcess("busybox", "sh"), 80, 24);
        try {
            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal),
                            new WebSocket.Listener() {
                                final StringBuilder text = new StringBuilder();

                                @Override
                                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                    text.append(data);
                                    if (last) {
                                        first.complete(text.toString());
                                    }
                                    w.request(1);
                                    return null;
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            String hello = first.get(10, TimeUnit.SECONDS);
            assertThat(hello).contains("\"type\":\"hello\"").contains("\"user\":\"" + carol + "\"").contains("\"role\":\"owner\"");
            ws.abort();
        } finally {
            registry.close(terminal, "test over");
        }
        // a revoked or wrong token gets no WebSocket
        var refused = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer berth_wrong-token-value-000000")
                .buildAsync(URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal),
                        new WebSocket.Listener() {
                        });
        assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
