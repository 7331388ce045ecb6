package dev.berth.web.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Security headers on the console's responses (API, pages, assets, errors) and not on port links; cross-origin
 * WebSocket upgrades refused with 403 (no {@code berth.public-url} here: the request's own origin counts).
 */
@QuarkusTest
class SecurityHeadersTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;

    static void assertConsoleHeaders(Response r, String what) {
        String csp = r.header("Content-Security-Policy");
        assertThat(csp).as(what).isNotNull().contains("default-src 'self'").contains("script-src 'self';")
                .contains("frame-ancestors 'none'").contains("object-src 'none'").doesNotContain("unsafe-eval")
                .containsPattern("connect-src 'self' ws://[^ ;]+");
        assertThat(csp.replaceAll("style-src[^;]*;", "")).as(what).doesNotContain("unsafe-inline");
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("same-origin");
        assertThat(r.header("X-Frame-Options")).as(what).isEqualTo("DENY");
    }

    @Test
    void everyKindOfConsoleResponseCarriesThem() {
        assertConsoleHeaders(given().get("/api/session").then().statusCode(401).extract().response(), "API 401");
        assertConsoleHeaders(given().auth().preemptive().basic("admin", "test-admin-password").get("/api/session")
                .then().statusCode(200).extract().response(), "API 200");
        assertConsoleHeaders(given().get("/api/no-such-thing").then().statusCode(404).extract().response(), "API 404");
        Response page = given().get("/").then().statusCode(200).extract().response();
        assertConsoleHeaders(page, "index page");
        assertConsoleHeaders(given().get("/containers").then().statusCode(200).extract().response(), "app route");
        assertConsoleHeaders(given().get("/no/such/page").then().statusCode(404).extract().response(), "404 page");
        assertConsoleHeaders(given().get("/q/health").then().extract().response(), "health");
        // the built page has no inline script (the CSP would block it) and its assets carry the headers too
        String html = page.asString();
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        java.util.regex.Matcher asset = java.util.regex.Pattern.compile("src=\"\\.?/?(assets/[^\"]+\\.js)\"").matcher(html);
        assertThat(asset.find()).as("a script asset in " + html).isTrue();
        assertConsoleHeaders(given().get("/" + asset.group(1)).then().statusCode(200).extract().response(), "asset");
    }

    @Test
    void portLinksKeepTheirOwnHeaders() {
        Response r = given().auth().preemptive().basic("admin", "test-admin-password").redirects().follow(false)
                .get("/ports/no-such-container/80/").then().extract().response();
        assertThat(r.statusCode()).isBetween(400, 599);
        assertThat(r.header("Content-Security-Policy")).satisfiesAnyOf(
                h -> assertThat(h).isNull(), h -> assertThat(h).doesNotContain("frame-ancestors 'none'"));
        assertThat(r.header("X-Frame-Options")).isNull();
        assertThat(r.header("Referrer-Policy")).isNull();
        Response byHost = given().header("Host", "8080-nothing.ports.test").get("/").then().extract().response();
        assertThat(byHost.header("X-Frame-Options")).isNull();
    }

    @Test
    void crossOriginWebSocketUpgradeIsRefusedSameOriginPasses() throws Exception {
        String terminal = "hdr-t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(terminal, "admin", new PtyProcess("busybox", "sh"), 80, 24);
        try {
            URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal);
            String self = base.getScheme() + "://" + base.getAuthority();
            assertThat(upgrade(ws, "http://evil.example")).isEqualTo(403);
            assertThat(upgrade(ws, "https://" + base.getAuthority())).isEqualTo(403); // other scheme
            assertThat(upgrade(ws, "http://" + base.getHost() + ":1")).isEqualTo(403); // other port
            assertThat(upgrade(ws, self)).isEqualTo(101);
        } finally {
            registry.close(terminal, "test over");
        }
    }

    /** The status of a WebSocket upgrade with the given Origin (101 when it opened). */
    static int upgrade(URI ws, String origin) throws Exception {
        CompletableFuture<WebSocket> f = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes()))
                .header("Origin", origin).buildAsync(ws, new WebSocket.Listener() {
                });
        try {
            f.get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                HttpResponse<?> r = h.getResponse();
                return r.statusCode();
            }
            throw e;
        }
    }
}
