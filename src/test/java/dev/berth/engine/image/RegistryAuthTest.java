package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.berth.engine.EngineException;

/**
 * The bearer token flow (challenge, scope, reuse until expiry) and redirects to another host (blob storage),
 * which must not receive the registry's Authorization header. Two loopback HTTP servers play registry + token
 * service and blob storage.
 */
class RegistryAuthTest {
    static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);
    static final String DIGEST = Digests.of(BLOB);

    HttpServer registry;
    HttpServer storage;
    final List<String> registryAuth = new CopyOnWriteArrayList<>();
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> storageAuth = new CopyOnWriteArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    volatile int expiresIn = 300;

    @BeforeEach
    void start() throws Exception {
        storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        storage.createContext("/", ex -> {
            storageAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            reply(ex, 200, BLOB, Map.of());
        });
        storage.start();
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        String self = "http://127.0.0.1:" + registry.getAddress().getPort();
        registry.createContext("/token", ex -> {
            tokenRequests.add(URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8) + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            String basic = ex.getRequestHeaders().getFirst("Authorization");
            if (basic != null && !basic.equals(new RegistrySettings.Credentials("u", "p").basicHeader())) {
                reply(ex, 401, "{}".getBytes(), Map.of());
                return;
            }
            String token = "tok-" + tokensIssued.incrementAndGet();
            reply(ex, 200, ("{\"token\":\"" + token + "\",\"expires_in\":" + expiresIn + "}").getBytes(), Map.of());
        });
        registry.createContext("/v2/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            registryAuth.add(String.valueOf(auth));
            if (auth == null || !auth.startsWith("Bearer tok-")) {
                reply(ex, 401, "{}".getBytes(), Map.of("WWW-Authenticate", "Bearer realm=\"" + self
                        + "/token\",service=\"test-registry\",scope=\"repository:team/app:pull\""));
                return;
            }
            reply(ex, 307, new byte[0], Map.of("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/blob?sig=x"));
        });
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop(0);
        storage.stop(0);
    }

    static void reply(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws java.io.IOException {
        ex.getRequestBody().readAllBytes();
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private ImageReference ref() {
        return ImageReference.parse("127.0.0.1:" + registry.getAddress().getPort() + "/team/app:1");
    }

    private byte[] fetch(RegistryClient client) throws Exception {
        try (RegistryClient.BlobStream b = client.blob(ref(), DIGEST, 0)) {
            return b.body().readAllBytes();
        }
    }

    @Test
    void bearerTokenIsFetchedForTheScopeReusedAndNotSentToAnotherHostOnRedirect() throws Exception {
        RegistryClient client = new RegistryClient(RegistrySettings.defaults().withCredentials(
                Map.of(ref().registry(), new RegistrySettings.Credentials("u", "p"))));
        assertThat(fetch(client)).isEqualTo(BLOB);
        assertThat(fetch(client)).isEqualTo(BLOB);
        assertThat(tokenRequests).hasSize(1);
        assertThat(tokenRequests.get(0)).contains("service=test-registry").contains("scope=repository:team/app:pull")
                .contains("auth=Basic ");
        assertThat(registryAuth).containsExactly("null", "Bearer tok-1", "Bearer tok-1");
        assertThat(storageAuth).containsExactly("null", "null");
    }

    @Test
    void anonymousTokensAreRenewedAfterTheyExpire() throws Exception {
        expiresIn = 300;
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        fetch(client);
        fetch(client);
        assertThat(tokensIssued.get()).isEqualTo(1);
        client.clock = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofSeconds(301));
        fetch(client);
        assertThat(tokensIssued.get()).isEqualTo(2);
        assertThat(tokenRequests).allMatch(r -> r.endsWith("auth=null"));
        // after expiry the request goes out without the stale token, meets the challenge again and gets a new one
        assertThat(registryAuth).containsExactly("null", "Bearer tok-1", "Bearer tok-1", "null", "Bearer tok-2");
    }

    @Test
    void rejectedCredentialsAtTheTokenServiceAreReported() {
        RegistryClient client = new RegistryClient(RegistrySettings.defaults().withCredentials(
                Map.of(ref().registry(), new RegistrySettings.Credentials("u", "bad"))));
        assertThatThrownBy(() -> fetch(client)).isInstanceOf(EngineException.class)
                .hasMessageContaining(ref().registry()).hasMessageContaining("'u'").hasMessageNotContaining("bad")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("registry_credentials_rejected"));
    }

    @Test
    void sameOriginComparesSchemeHostAndPort() {
        assertThat(RegistryClient.sameOrigin(java.net.URI.create("https://r.example/v2/"), java.net.URI.create("https://r.example:443/x"))).isTrue();
        assertThat(RegistryClient.sameOrigin(java.net.URI.create("https://r.example/v2/"), java.net.URI.create("https://cdn.example/x"))).isFalse();
        assertThat(RegistryClient.sameOrigin(java.net.URI.create("http://127.0.0.1:5000/"), java.net.URI.create("http://127.0.0.1:5001/"))).isFalse();
        assertThat(RegistryClient.sameOrigin(java.net.URI.create("https://r.example/"), java.net.URI.create("http://r.example/"))).isFalse();
    }
}
