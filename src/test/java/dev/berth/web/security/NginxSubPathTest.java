package dev.berth.web.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Berth behind Debian's nginx on a sub-path, with deploy/nginx/berth.conf and berth-map.conf as shipped (only the
 * upstream port rewritten) and {@code berth.public-url} set to the proxy's URL: the console page, login, the API and a terminal
 * WebSocket all work through {@code /berth/}, and WebSocket upgrades whose Origin is not the public URL are
 * refused with 403, through the proxy and directly.
 */
@QuarkusTest
@TestProfile(NginxSubPathTest.BehindProxy.class)
class NginxSubPathTest {
    /** The proxy's port, chosen before the application starts so that the public URL can name it. */
    static final int PROXY_PORT = freePort();
    static final String PUBLIC_URL = "http://127.0.0.1:" + PROXY_PORT + "/berth";
    static final Path NGINX = Path.of("/usr/sbin/nginx");

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.public-url", PUBLIC_URL,
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    @TestHTTPResource("/")
    URI direct;
    @Inject
    TerminalRegistry registry;

    private static Process nginx;
    private static Path nginxDir;

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
            nginx = null;
        }
        if (nginxDir != null) {
            dev.berth.engine.container.Trees.deleteRecursively(nginxDir);
        }
    }

    /** Starts nginx once, on 127.0.0.1:PROXY_PORT, in front of this test's server. */
    private void nginx() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NGINX),
                "nginx is not installed (apt-get install nginx, listed in deploy/packages/test.txt): the sub-path proxy test is skipped");
        if (nginx != null) {
            return;
        }
        nginxDir = Files.createTempDirectory("berth-nginx");
        String site = Files.readString(Path.of("deploy/nginx/berth.conf"));
        assertThat(site).contains("127.0.0.1:8080");
        Files.writeString(nginxDir.resolve("berth.conf"), site.replace("127.0.0.1:8080", "127.0.0.1:" + direct.getPort()));
        Files.copy(Path.of("deploy/nginx/berth-map.conf"), nginxDir.resolve("berth-map.conf"));
        String d = nginxDir.toString();
        Files.writeString(nginxDir.resolve("nginx.conf"), String.join("\n",
                "daemon off;", "master_process on;", "worker_processes 1;", "user root;",
                "pid " + d + "/nginx.pid;", "error_log " + d + "/error.log warn;",
                "events { worker_connections 256; }",
                "http {",
                "  access_log off;",
                "  include " + d + "/berth-map.conf;",
                "  client_body_temp_path " + d + "/body; proxy_temp_path " + d + "/proxy;",
                "  fastcgi_temp_path " + d + "/fastcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " + d + "/scgi;",
                "  server {",
                "    listen 127.0.0.1:" + PROXY_PORT + ";",
                "    server_name _;",
                "    include " + d + "/berth.conf;",
                "  }",
                "}", ""));
        nginx = new ProcessBuilder(NGINX.toString(), "-p", d, "-c", d + "/nginx.conf").redirectErrorStream(true)
                .redirectOutput(nginxDir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", PROXY_PORT)) {
                return;
            } catch (IOException e) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    Path errors = nginxDir.resolve("error.log");
                    throw new AssertionError("nginx did not start: " + Files.readString(nginxDir.resolve("stdout.log"))
                            + (Files.exists(errors) ? Files.readString(errors) : ""));
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void consoleLoginApiAndTerminalThroughTheSubPath() throws Exception {
        nginx();
        String proxied = PUBLIC_URL + "/";
        Response page = given().get(proxied).then().statusCode(200).extract().response();
        assertThat(page.asString()).contains("<base href=\"/berth/\" />");
        SecurityHeadersTest.assertConsoleHeaders(page, "page through nginx");
        assertThat(page.header("Content-Security-Policy")).contains("connect-src 'self' ws://127.0.0.1:" + PROXY_PORT);
        given().redirects().follow(false).get(PUBLIC_URL).then().statusCode(301);

        Response login = given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "test-admin-password"))
                .post(proxied + "api/session");
        login.then().statusCode(200);
        String cookie = login.cookie("berth_session");
        given().cookie("berth_session", cookie).get(proxied + "api/session").then().statusCode(200);
        given().cookie("berth_session", cookie).get(proxied + "api/containers").then().statusCode(200);

        String terminal = "nginx-t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(terminal, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        try {
            URI ws = URI.create("ws://127.0.0.1:" + PROXY_PORT + "/berth/ws/terminals/" + terminal);
            CompletableFuture<String> hello = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Origin", "http://127.0.0.1:" + PROXY_PORT).header("Cookie", "berth_session=" + cookie)
                    .buildAsync(ws, new WebSocket.Listener() {
                        final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                hello.complete(text.toString());
                                text.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertThat(hello.get(10, TimeUnit.SECONDS)).contains("\"type\":\"hello\"").contains("\"role\":\"owner\"");
            socket.abort();
            assertThat(SecurityHeadersTest.upgrade(ws, "http://evil.example")).isEqualTo(403);
            assertThat(SecurityHeadersTest.upgrade(ws, "https://127.0.0.1:" + PROXY_PORT)).isEqualTo(403);
        } finally {
            registry.close(terminal, "test over");
        }

        // the audit log sees the client's address as forwarded by nginx
        List<Map<String, Object>> logins = given().auth().preemptive().basic("admin", "test-admin-password")
                .queryParam("actor", "admin").queryParam("action", "session.login").queryParam("limit", 1)
                .get(direct.resolve("/api/audit")).then().statusCode(200).extract().jsonPath().getList("entries");
        assertThat(logins).singleElement().satisfies(e -> assertThat(e.get("address")).isEqualTo("127.0.0.1"));
    }

    @Test
    void withAPublicUrlOnlyItsOriginMayOpenWebSockets() throws Exception {
        String terminal = "pub-t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(terminal, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        try {
            URI ws = URI.create(direct.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal);
            // the server's own origin is no longer enough: browsers reach it through the public URL
            assertThat(SecurityHeadersTest.upgrade(ws, direct.getScheme() + "://" + direct.getAuthority())).isEqualTo(403);
            assertThat(SecurityHeadersTest.upgrade(ws, "http://evil.example")).isEqualTo(403);
            assertThat(SecurityHeadersTest.upgrade(ws, "http://127.0.0.1:" + PROXY_PORT)).isEqualTo(101);
        } finally {
            registry.close(terminal, "test over");
        }
        // the CSP names the public URL's WebSocket origin
        assertThat(given().get(direct.resolve("/api/session")).header("Content-Security-Policy"))
                .contains("connect-src 'self' ws://127.0.0.1:" + PROXY_PORT);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
