package dev.berth.web.network;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.berth.engine.network.NetworkMode;
import dev.berth.engine.network.NetworkRequest;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PreparedNetwork;
import dev.berth.engine.network.TestNamespaces;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * /api/networks and the console's port links against the real server: a busybox httpd (with a CGI script that
 * shows what the container receives) and a WebSocket echo server run in network namespaces wired by the real
 * network layer (prefix "bnr", pool 10.232.0.0/16, see application.properties' %test keys).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkApiAndPortLinkTest {

    private static final String ADMIN_PASSWORD = "test-admin-password";

    @Inject
    NetworkService networks;
    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    private final TestNamespaces ns = new TestNamespaces("bnr");
    private Path www;

    @BeforeAll
    void startServices() throws Exception {
        networks.restore(List.of());
        PreparedNetwork web = networks.prepare(new NetworkRequest("e1aaaaaaaaaaaaaa", "linkweb", null, NetworkMode.parse("bridge"),
                List.of(), List.of(), List.of()));
        web.hook().beforeExec(ns.create("linkweb"));
        www = ns.httpd("linkweb", 80, "hello through the link");
        Path cgi = Files.createDirectories(www.resolve("cgi-bin"));
        Files.writeString(cgi.resolve("env"), "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                + "echo \"uri=$REQUEST_URI\"\necho \"prefix=$HTTP_X_FORWARDED_PREFIX\"\necho \"cookie=$HTTP_COOKIE\"\n"
                + "echo \"auth=$HTTP_AUTHORIZATION\"\necho \"method=$REQUEST_METHOD\"\necho \"body=$(cat)\"\n");
        Files.setPosixFilePermissions(cgi.resolve("env"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(www.resolve("redirect.html"), "x");

        Path script = Files.createTempFile("ws_echo", ".py");
        try (InputStream in = getClass().getResourceAsStream("/network/ws_echo.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process echo = ns.start("linkweb", "python3", "-u", script.toString(), "8765");
        byte[] ready = new byte[5];
        assertThat(echo.getInputStream().readNBytes(ready, 0, 5)).isEqualTo(5);
        assertThat(new String(ready, StandardCharsets.UTF_8)).isEqualTo("ready");
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            ns.close();
        } finally {
            networks.teardown();
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD);
    }

    @Test
    void portLinkServesTheContainersHttpServer() {
        admin().get("/ports/linkweb/80/").then().statusCode(200).body(equalTo("hello through the link"))
                .header("Content-Security-Policy", containsString("sandbox"));
        // by container id prefix as well
        admin().get("/ports/e1aaaaaa/80/").then().statusCode(200).body(equalTo("hello through the link"));
    }

    @Test
    void thePrefixIsStrippedAndBerthsCredentialsNeverReachTheContainer() {
        String env = admin().cookie("berth_session", "secret-session").cookie("app", "kept").body("payload")
                .post("/ports/linkweb/80/cgi-bin/env?x=1").then().statusCode(200).extract().asString();
        assertThat(env).contains("uri=/cgi-bin/env?x=1").contains("prefix=/ports/linkweb/80").contains("cookie=app=kept")
                .contains("method=POST").contains("body=payload").doesNotContain("secret-session").contains("auth=\n");
    }

    @Test
    void hostBasedLinksServeTheContainerAtTheRootPath() {
        // berth.ports.base-domain=ports.test in the test profile
        String env = admin().header("Host", "80-linkweb.ports.test").get("/cgi-bin/env?y=2")
                .then().statusCode(200).extract().asString();
        assertThat(env).contains("uri=/cgi-bin/env?y=2").contains("prefix=\n");
        admin().header("Host", "80-linkweb.ports.test").get("/").then().statusCode(200).body(equalTo("hello through the link"))
                .header("Content-Security-Policy", org.hamcrest.Matchers.nullValue());
        given().header("Host", "80-linkweb.ports.test").get("/").then().statusCode(401);
    }

    @Test
    void aLinkWithoutTrailingSlashRedirectsSoRelativeLinksWork() {
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).redirects().follow(false)
                .get("/ports/linkweb/80?a=b").then().statusCode(308).header("Location", "/ports/linkweb/80/?a=b");
    }

    @Test
    void portLinksNeedASignedInUser() {
        given().get("/ports/linkweb/80/").then().statusCode(401).body("error", equalTo("unauthenticated"));
    }

    @Test
    void unknownContainersAndClosedPortsAreClearErrors() {
        admin().get("/ports/nosuch/80/").then().statusCode(404).body("error", equalTo("container_not_reachable"))
                .body("message", containsString("'nosuch'"));
        admin().get("/ports/linkweb/99999/").then().statusCode(400).body("error", equalTo("invalid_port"));
        admin().get("/ports/linkweb/81/").then().statusCode(502).body("error", equalTo("port_unreachable"))
                .body("message", containsString(":81"));
    }

    @Test
    void webSocketEchoThroughTheLink() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private int binary;

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add("text:" + text);
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                binary += data.remaining();
                if (last) {
                    received.add("binary:" + binary);
                    binary = 0;
                }
                ws.request(1);
                return null;
            }
        };
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", auth)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ports/linkweb/8765/echo"), listener)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("hello websocket", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("text:hello websocket");
        ws.sendBinary(ByteBuffer.wrap(new byte[100_000]), true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("binary:100000");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

        CompletableFuture<WebSocket> refused = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ports/linkweb/8765/echo"), listener);
        assertThat(refused).failsWithin(Duration.ofSeconds(10));
    }

    @Test
    void networkApiCreatesInspectsConnectsAndRemoves() throws Exception {
        admin().contentType(ContentType.JSON).body(Map.of("name", "apinet")).post("/api/networks")
                .then().statusCode(201).body("name", equalTo("apinet")).body("subnet", containsString("10.232."));
        admin().get("/api/networks").then().statusCode(200).body("name", hasItem("apinet")).body("name", hasItem("bridge"));
        admin().contentType(ContentType.JSON).body(Map.of("name", "apinet")).post("/api/networks")
                .then().statusCode(409).body("error", equalTo("network_exists"));
        admin().contentType(ContentType.JSON).body(Map.of("name", "bad name!")).post("/api/networks")
                .then().statusCode(400).body("error", equalTo("invalid_network_name"));
        admin().contentType(ContentType.JSON).body(Map.of("name", "x", "subnet", "10.0.0.0")).post("/api/networks")
                .then().statusCode(400).body("error", equalTo("invalid_subnet"));
        admin().get("/api/networks/nowhere").then().statusCode(404).body("error", equalTo("network_not_found"));

        admin().contentType(ContentType.JSON).body(Map.of("container", "linkweb", "aliases", List.of("site")))
                .post("/api/networks/apinet/connect").then().statusCode(200).body("ip", containsString("10.232."));
        admin().get("/api/networks/apinet").then().statusCode(200)
                .body("containers[0].name", equalTo("linkweb")).body("containers[0].aliases[0]", equalTo("site"));
        assertThat(ns.exec("linkweb", null, "ip", "-o", "-4", "addr").output()).contains("eth1");
        admin().delete("/api/networks/apinet").then().statusCode(409).body("error", equalTo("network_in_use"))
                .body("message", containsString("linkweb"));
        admin().contentType(ContentType.JSON).body(Map.of("container", "nosuch"))
                .post("/api/networks/apinet/disconnect").then().statusCode(404).body("error", equalTo("container_not_found"));
        admin().contentType(ContentType.JSON).body(Map.of("container", "linkweb"))
                .post("/api/networks/apinet/disconnect").then().statusCode(204);
        admin().delete("/api/networks/apinet").then().statusCode(204);
        admin().get("/api/networks/apinet").then().statusCode(404);
        given().get("/api/networks").then().statusCode(401);
    }
}
