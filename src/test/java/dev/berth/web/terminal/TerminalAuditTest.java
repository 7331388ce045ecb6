package dev.berth.web.terminal;

import static dev.berth.web.terminal.WsClient.await;
import static dev.berth.web.terminal.WsClient.basic;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The audit trail of a shared terminal over real WebSockets: joins and leaves, control taken, granted and taken
 * back, and input attributed to the person who typed it, line by line, with password prompts left out.
 */
@QuarkusTest
class TerminalAuditTest {
    private static final String ADMIN = basic("admin", "test-admin-password");

    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;

    private final List<WsClient> clients = new ArrayList<>();
    private final List<String> terminals = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (WsClient c : clients) c.abort();
        for (String t : terminals) registry.close(t, "test over");
    }

    private static List<Map<String, Object>> entries(String terminal, String actor, String action) {
        var r = given().header("Authorization", ADMIN).queryParam("target", terminal).queryParam("action", action)
                .queryParam("limit", 500);
        if (actor != null) r = r.queryParam("actor", actor);
        return r.get("/api/audit")
                .then().statusCode(200).extract().jsonPath().getList("entries");
    }

    private static List<String> details(String terminal, String actor, String action) {
        List<String> d = new ArrayList<>(entries(terminal, actor, action).stream().map(e -> String.valueOf(e.get("detail"))).toList());
        java.util.Collections.reverse(d);
        return d;
    }

    @Test
    void joinsControlAndInputPerPerson() throws Exception {
        String t = "audit-t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(t, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        terminals.add(t);
        String bob = "auditdrv-" + UUID.randomUUID().toString().substring(0, 6);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", bob, "password", "password-of-" + bob, "role", "user"))
                .post("/api/users").then().statusCode(201);

        WsClient owner = WsClient.connect(base, t, "resume=0", ADMIN, null);
        clients.add(owner);
        WsClient b = WsClient.connect(base, t, "resume=0", basic(bob, "password-of-" + bob), null);
        clients.add(b);
        await("both joined", () -> !owner.controls("hello").isEmpty() && !b.controls("hello").isEmpty());

        owner.keys("echo A$((1+1))\r");
        await("owner typed", () -> owner.text().contains("A2"));
        b.keys("echo B$((2");
        b.keys("+2))\r");
        await("bob typed", () -> owner.text().contains("B4"));
        // a password prompt: what is typed at it is not recorded
        owner.keys("read -p 'Password: ' secret; echo got-${#secret}\r");
        // (the typed command contains the prompt text too: wait for the prompt's own row)
        await("prompt", () -> registry.find(t).orElseThrow().screenText().lines().anyMatch("Password:"::equals));
        owner.keys("hunter2\r");
        await("read", () -> owner.text().contains("got-7"));

        owner.control("{\"type\":\"keyboard-mode\",\"mode\":\"single\"}");
        await("single", () -> b.controls("control").stream().anyMatch(m -> m.get("mode").asText().equals("single")));
        owner.control("{\"type\":\"grant\",\"user\":\"" + bob + "\"}");
        await("granted", () -> b.controls("control").stream().anyMatch(m -> bob.equals(m.get("controller").asText())));
        owner.control("{\"type\":\"take-back\"}");
        await("taken back", () -> {
            var l = b.controls("control");
            return l.get(l.size() - 1).get("controller").asText().equals("admin");
        });
        b.close();
        await("bob left", () -> !entries(t, bob, "terminal.leave").isEmpty());

        await("owner's input", () -> details(t, "admin", "terminal.input").size() >= 2);
        assertThat(details(t, "admin", "terminal.input")).containsExactly("echo A$((1+1))\\r",
                "read -p 'Password: ' secret; echo got-${#secret}\\r",
                "(8 bytes typed at a password prompt, not recorded)");
        assertThat(details(t, bob, "terminal.input")).containsExactly("echo B$((2+2))\\r");
        assertThat(entries(t, null, "terminal.input")).allSatisfy(e -> assertThat(e.toString()).doesNotContain("hunter2"));

        assertThat(details(t, "admin", "terminal.join")).singleElement().asString().startsWith("as owner");
        assertThat(details(t, bob, "terminal.join")).singleElement().asString().startsWith("as driver");
        assertThat(entries(t, bob, "terminal.join").get(0).get("address")).isEqualTo("127.0.0.1");
        assertThat(details(t, "admin", "terminal.control-taken")).containsExactly("control was free");
        assertThat(details(t, "admin", "terminal.control-granted")).containsExactly("to " + bob + ", from admin");
        assertThat(details(t, "admin", "terminal.control-back")).containsExactly("from " + bob);
    }
}
