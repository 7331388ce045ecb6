package dev.berth.web.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.berth.web.terminal.WsClient.await;
import static dev.berth.web.terminal.WsClient.basic;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shared terminals over real WebSockets on the real server, with real programs on real PTYs. */
@QuarkusTest
class TerminalSocketTest {
    private static final String ADMIN = basic("admin", "test-admin-password");

    @TestHTTPResource("/")
    URI base;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "berth.terminal.client-queue-bytes")
    int clientQueueBytes;
    @Inject
    TerminalRegistry registry;
    @Inject
    TestTerminalGrants grants;

    private final List<WsClient> clients = new ArrayList<>();
    private final List<String> terminals = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (WsClient c : clients) c.abort();
        for (String t : terminals) {
            registry.close(t, "test over");
            grants.revokeAll(t);
        }
    }

    private String terminal() throws Exception {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(id, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        terminals.add(id);
        return id;
    }

    private WsClient connect(String terminal, String query, String auth) throws Exception {
        WsClient c = WsClient.connect(base, terminal, query, auth, null);
        clients.add(c);
        await("hello", () -> !c.controls("hello").isEmpty() || c.closed());
        return c;
    }

    private static String user(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201);
        return name;
    }

    private static String auth(String user) {
        return basic(user, "password-of-" + user);
    }

    private void settle(TerminalHub hub, WsClient... cs) throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(150);
            long seq = hub.sequence();
            if (seq == last) break;
            last = seq;
        }
        for (WsClient c : cs) await("client to catch up", () -> c.nextSeq() == hub.sequence());
    }

    private TerminalHub hub(String id) {
        return registry.find(id).orElseThrow();
    }

    @Test
    void severalClientsReceiveIdenticalBytesInOrderAndViewersCannotType() throws Exception {
        String t = terminal();
        String bob = user("bob"), carol = user("carol");
        grants.grant(t, bob, TerminalRole.VIEWER);
        grants.grant(t, carol, TerminalRole.VIEWER);
        WsClient owner = connect(t, "cols=80&rows=24&resume=0", ADMIN);
        WsClient b = connect(t, "cols=100&rows=30&resume=0", auth(bob));
        WsClient c = connect(t, "resume=0", auth(carol));
        assertThat(b.controls("hello").get(0).get("role").asText()).isEqualTo("viewer");
        assertThat(owner.controls("hello").get(0).get("role").asText()).isEqualTo("owner");
        b.keys("echo VIEWER$((1+1))\r");
        await("error frame", () -> !b.controls("error").isEmpty());
        assertThat(b.controls("error").get(0).get("code").asText()).isEqualTo("read-only");
        owner.keys("i=0; while [ $i -lt 3000 ]; do echo row $i; i=$((i+1)); done; echo END$((40+2))\r");
        await("loop", () -> owner.text().contains("END42"));
        settle(hub(t), owner, b, c);
        assertThat(owner.sequenceError).isNull();
        assertThat(b.sequenceError).isNull();
        assertThat(b.bytes()).isEqualTo(owner.bytes());
        assertThat(c.bytes()).isEqualTo(owner.bytes());
        assertThat(owner.text()).doesNotContain("VIEWER2");
        assertThat(c.screenDump()).isEqualTo(hub(t).screenDump());
    }

    @Test
    void keyboardHandOffInSingleDriverModeAndSharedMode() throws Exception {
        String t = terminal();
        String bob = user("bob");
        grants.grant(t, bob, TerminalRole.VIEWER);
        WsClient owner = connect(t, "resume=0", ADMIN);
        WsClient b = connect(t, "resume=0", auth(bob));
        owner.control("{\"type\":\"set-role\",\"user\":\"" + bob + "\",\"role\":\"driver\"}");
        await("bob promoted", () -> b.controls("presence").stream().anyMatch(p -> p.toString().contains("\"driver\"")));
        // shared: both type
        owner.keys("echo A$((1+1))\r");
        await("alice typed", () -> owner.text().contains("A2"));
        b.keys("echo B$((2+2))\r");
        await("bob typed", () -> owner.text().contains("B4"));
        await("typing notice", () -> owner.controls("typing").stream().anyMatch(m -> m.get("user").asText().equals(bob)));
        // single: only the controller
        owner.control("{\"type\":\"keyboard-mode\",\"mode\":\"single\"}");
        await("mode", () -> b.controls("control").stream().anyMatch(m -> m.get("mode").asText().equals("single")));
        b.keys("echo NOPE\r");
        await("rejected", () -> b.controls("error").stream().anyMatch(m -> m.get("code").asText().equals("not-in-control")));
        b.control("{\"type\":\"request-control\"}");
        await("request reaches the owner", () -> !owner.controls("control-request").isEmpty());
        owner.control("{\"type\":\"grant\",\"user\":\"" + bob + "\"}");
        await("granted", () -> b.controls("control").stream().anyMatch(m -> bob.equals(m.get("controller").asText())));
        b.keys("echo C$((3+3))\r");
        await("bob types with control", () -> owner.text().contains("C6"));
        owner.control("{\"type\":\"take-back\"}");
        await("taken back", () -> {
            List<JsonNode> l = b.controls("control");
            return l.get(l.size() - 1).get("controller").asText().equals("admin");
        });
        int errors = b.controls("error").size();
        Thread.sleep(1100); // errors are rate limited to one a second per client
        b.keys("echo D$((4+4))\r");
        await("rejected again", () -> b.controls("error").size() > errors);
        owner.keys("echo E$((5+5))\r");
        await("owner", () -> owner.text().contains("E10"));
        assertThat(owner.text()).doesNotContain("NOPE").doesNotContain("D8");
    }

    @Test
    void ptyFollowsTheDriverViewersFollowThePtyAndSmallestPolicy() throws Exception {
        String t = terminal();
        String vic = user("vic");
        grants.grant(t, vic, TerminalRole.VIEWER);
        WsClient owner = connect(t, "cols=120&rows=40&resume=0", ADMIN);
        WsClient v = connect(t, "cols=70&rows=20&resume=0", auth(vic));
        v.control("{\"type\":\"resize\",\"cols\":60,\"rows\":15}");
        owner.keys("stty size\r");
        await("driver size", () -> owner.text().contains("40 120"));
        settle(hub(t), owner, v);
        assertThat(v.screenDump()).startsWith("size 120x40");
        owner.control("{\"type\":\"resize-policy\",\"policy\":\"smallest\"}");
        await("smallest", () -> hub(t).cols() == 60);
        owner.keys("stty size\r");
        await("smallest size", () -> owner.text().contains("15 60"));
        settle(hub(t), owner, v);
        assertThat(owner.screenDump()).startsWith("size 60x15");
        assertThat(v.screenDump()).isEqualTo(owner.screenDump());
        // a viewer cannot change the policy
        v.control("{\"type\":\"resize-policy\",\"policy\":\"driver\"}");
        await("forbidden", () -> v.controls("error").stream().anyMatch(m -> m.get("code").asText().equals("forbidden")));
    }

    @Test
    void lateJoinerOfViSeesTheDriversScreen() throws Exception {
        String t = terminal();
        Path file = Files.createTempFile("berth-ws-vi", ".txt");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 80; i++) s.append("\u001b-free line ").append(i).append(" \u00e4\u00f6\u00fc \u65e5\u672c ").append("#".repeat(i % 50)).append('\n');
        Files.writeString(file, s.toString().replace("\u001b", ""));
        WsClient owner = connect(t, "cols=100&rows=30&resume=0", ADMIN);
        owner.keys("busybox vi " + file + "\r");
        await("vi", () -> hub(t).screenText().contains("line 20"));
        owner.keys("20Gdd");
        settle(hub(t), owner);
        owner.keys("Oinserted \u2603 line");
        settle(hub(t), owner);
        owner.keys("\u001b");
        settle(hub(t), owner);
        owner.keys("5G");
        settle(hub(t), owner);
        WsClient late = connect(t, "cols=80&rows=24", basic("admin", "test-admin-password"));
        settle(hub(t), owner, late);
        assertThat(late.snapshots).isEqualTo(1);
        assertThat(hub(t).screenDump()).contains("alt=true").contains("inserted \u2603 line");
        assertThat(late.screenDump()).isEqualTo(owner.screenDump());
        owner.keys(":q!\r");
        settle(hub(t), owner, late);
        assertThat(late.screenDump()).isEqualTo(owner.screenDump());
        Files.deleteIfExists(file);
    }

    @Test
    void reconnectAfterDroppedFramesResumesWithoutLossOrDuplication() throws Exception {
        String t = terminal();
        WsClient owner = connect(t, "resume=0", ADMIN);
        WsClient first = connect(t, "resume=0", ADMIN);
        owner.keys("echo before $((1+1))\r");
        await("before", () -> first.text().contains("before 2"));
        settle(hub(t), owner, first);
        long resumeAt = first.nextSeq();
        byte[] had = first.bytes();
        first.abort(); // the network drops
        await("dropped", () -> hub(t).clients().size() == 1);
        owner.keys("for i in 1 2 3 4 5 6 7 8; do echo away $i; done\r");
        await("away", () -> owner.text().contains("away 8\r\n"));
        WsClient again = connect(t, "resume=" + resumeAt, ADMIN);
        owner.keys("echo back $((2+3))\r");
        await("back", () -> again.text().contains("back 5"));
        settle(hub(t), owner, again);
        assertThat(again.snapshots).isZero();
        assertThat(again.sequenceError).isNull();
        assertThat(again.controls("hello").get(0).get("resumed").asBoolean()).isTrue();
        byte[] all = new byte[had.length + again.bytes().length];
        System.arraycopy(had, 0, all, 0, had.length);
        System.arraycopy(again.bytes(), 0, all, had.length, again.bytes().length);
        assertThat(all).isEqualTo(owner.bytes());
    }

    @Test
    void aStalledClientIsDroppedToResyncAndTheOthersGetEverything() throws Exception {
        String t = terminal();
        WsClient owner = connect(t, "resume=0", ADMIN);
        WsClient other = connect(t, "resume=0", ADMIN);
        WsClient stuck = connect(t, "resume=0", ADMIN);
        settle(hub(t), owner, other, stuck);
        stuck.stall();
        // enough output to overflow the stalled client's queue even after the socket buffers on both ends are full
        owner.keys("i=0; l=0123456789abcdefghijklmnopqrstuvwxyz; l=$l$l$l; while [ $i -lt 110000 ]; do echo a long line of output number $i $l; i=$((i+1)); done; echo FIN$((1+1))\r");
        await("everything", () -> owner.text().contains("FIN2") && other.text().contains("FIN2"));
        settle(hub(t), owner, other);
        assertThat(other.bytes()).isEqualTo(owner.bytes());
        assertThat(owner.bytes().length).isGreaterThan(clientQueueBytes + (8 << 20));
        TerminalClient stuckClient = hub(t).clients().get(2);
        assertThat(stuckClient.resyncs()).isPositive();
        assertThat(stuckClient.queuedBytes()).isLessThanOrEqualTo(clientQueueBytes);
        stuck.resume();
        settle(hub(t), owner, other, stuck);
        assertThat(stuck.snapshots).isPositive();
        assertThat(stuck.screenDump()).isEqualTo(owner.screenDump());
    }

    @Test
    void aClientWhoseSocketDiesMidStreamIsRemovedWithoutAWarningPerQueuedFrame() throws Exception {
        String t = terminal();
        WsClient owner = connect(t, "resume=0", ADMIN);
        WsClient gone = connect(t, "resume=0", ADMIN);
        settle(hub(t), owner, gone);
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) warnings.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger sinkLog = java.util.logging.Logger.getLogger(WebSocketSink.class.getName());
        sinkLog.addHandler(capture);
        try {
            gone.stall();
            owner.keys("i=0; l=0123456789abcdefghijklmnopqrstuvwxyz; l=$l$l$l; while [ $i -lt 60000 ]; do echo a long line of output number $i $l; i=$((i+1)); done; echo FIN$((1+1))\r");
            TerminalClient goneClient = hub(t).clients().get(1);
            // (or already dropped to a repaint, its send still outstanding: a queue of 4 MiB can fill between two looks)
            await("output queued behind the stalled client's outstanding send",
                    () -> goneClient.queuedBytes() > 256 * 1024 || goneClient.resyncs() > 0);
            gone.abort(); // its TCP connection goes away with frames still queued for it
            await("the client to be removed", () -> hub(t).clients().size() == 1);
            await("everything to the owner", () -> owner.text().contains("FIN2"));
            assertThat(warnings).extracting(java.util.logging.LogRecord::getMessage).isEmpty();
        } finally {
            sinkLog.removeHandler(capture);
        }
    }

    @Test
    void crossOriginUpgradesAreRejectedWith403() throws Exception {
        String t = terminal();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + t);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () ->
                HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", "https://evil.example")
                        .header("Authorization", ADMIN).buildAsync(uri, new WsClient()).get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403);
        // same host, other port: also cross-origin
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", base.getScheme() + "://" + base.getHost() + ":1").header("Authorization", ADMIN)
                .buildAsync(uri, new WsClient()).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WebSocketHandshakeException.class);
        // no credentials: refused
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WsClient()).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void theSocketClosesWhenTheLoginSessionEnds() throws Exception {
        String t = terminal();
        String dora = user("dora");
        grants.grant(t, dora, TerminalRole.VIEWER);
        Response login = given().contentType(ContentType.JSON).body(Map.of("username", dora, "password", "password-of-" + dora))
                .post("/api/session");
        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = "berth_session=" + login.cookie("berth_session");
        WsClient viaSession = WsClient.connect(base, t, "resume=0", null, cookie);
        clients.add(viaSession);
        WsClient viaBasic = connect(t, "resume=0", auth(dora));
        await("hello", () -> !viaSession.controls("hello").isEmpty());
        given().header("Cookie", cookie).header("X-CSRF-Token", login.jsonPath().getString("csrfToken"))
                .delete("/api/session").then().statusCode(204);
        await("session socket closed", viaSession::closed);
        assertThat(viaSession.closeCode).isEqualTo(TerminalSessionsCloser.SESSION_ENDED);
        Thread.sleep(200);
        assertThat(viaBasic.closed()).isFalse(); // only the ended session's sockets close
    }

    @Test
    void recordingsAreStartedListedAndDownloadedAsAsciicast() throws Exception {
        String t = terminal();
        WsClient owner = connect(t, "resume=0", ADMIN);
        String name = given().header("Authorization", ADMIN).post("/api/terminals/" + t + "/recordings")
                .then().statusCode(201).extract().jsonPath().getString("name");
        owner.keys("echo recorded $((6*7))\r");
        await("output", () -> owner.text().contains("recorded 42"));
        owner.control("{\"type\":\"resize\",\"cols\":90,\"rows\":20}");
        await("resized", () -> hub(t).cols() == 90);
        given().header("Authorization", ADMIN).delete("/api/terminals/" + t + "/recordings/current").then().statusCode(204);
        given().header("Authorization", ADMIN).get("/api/terminals/" + t + "/recordings").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItem(name));
        String cast = given().header("Authorization", ADMIN).get("/api/terminals/" + t + "/recordings/" + name)
                .then().statusCode(200).contentType("application/x-asciicast").extract().asString();
        ObjectMapper json = new ObjectMapper();
        String[] lines = cast.split("\n");
        assertThat(json.readTree(lines[0]).get("version").asInt()).isEqualTo(2);
        StringBuilder out = new StringBuilder();
        boolean marker = false, resize = false;
        for (int i = 1; i < lines.length; i++) {
            JsonNode e = json.readTree(lines[i]);
            assertThat(e.size()).isEqualTo(3);
            switch (e.get(1).asText()) {
                case "o" -> out.append(e.get(2).asText());
                case "m" -> marker |= e.get(2).asText().equals("input: admin");
                case "r" -> resize |= e.get(2).asText().equals("90x20");
                default -> { }
            }
        }
        assertThat(out.toString()).contains("recorded 42");
        assertThat(marker).isTrue();
        assertThat(resize).isTrue();
        // path tricks find nothing; other users see nothing
        given().header("Authorization", ADMIN).get("/api/terminals/" + t + "/recordings/..%2F..%2Fetc%2Fpasswd").then().statusCode(404);
        String eve = user("eve");
        given().header("Authorization", auth(eve)).post("/api/terminals/" + t + "/recordings").then().statusCode(404);
        grants.grant(t, eve, TerminalRole.VIEWER);
        given().header("Authorization", auth(eve)).post("/api/terminals/" + t + "/recordings").then().statusCode(403);
    }
}
