package dev.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.berth.engine.EngineException;

/**
 * A client for the OCI Distribution / Docker Registry HTTP API v2. Handles plain HTTP for loopback and
 * configured insecure registries, the bearer token flow (WWW-Authenticate challenge, scopes, expiry) and basic
 * auth. Redirects are followed here (not by the HTTP client) so that the registry's Authorization header is
 * never sent to another host (blob storage, CDNs).
 */
public final class RegistryClient {
    static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final int MAX_MANIFEST = 4 * 1024 * 1024;
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([a-zA-Z_]+)=\"([^\"]*)\"");

    private final RegistrySettings settings;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Boolean> basicHosts = new ConcurrentHashMap<>();
    /** Time source for token expiry (tests move it forward). */
    java.time.Clock clock = java.time.Clock.systemUTC();

    private record Token(String value, long expiresAtMillis) {
    }

    /**
     * One HTTP exchange over HttpURLConnection: blocking reads straight from the socket on the caller's thread
     * (java.net.http's InputStream body hands over one small buffer at a time between threads, which made
     * layer downloads several times slower on a loaded machine). Redirects are never followed here.
     */
    static final class Response {
        private final HttpURLConnection connection;
        private final int status;
        private final InputStream body;
        private final URI uri;

        private Response(HttpURLConnection connection, int status, InputStream body, URI uri) {
            this.connection = connection;
            this.status = status;
            this.body = body;
            this.uri = uri;
        }

        static Response open(URI uri, String method, Map<String, String> headers, String auth, byte[] body)
                throws IOException {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(15_000);
            c.setReadTimeout(120_000);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("User-Agent", "berth");
            headers.forEach(c::setRequestProperty);
            if (auth != null) {
                c.setRequestProperty("Authorization", auth);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (java.io.OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Response(c, status, in == null ? InputStream.nullInputStream() : in, uri);
        }

        int statusCode() {
            return status;
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(connection.getHeaderField(name));
        }

        long contentLength() {
            return connection.getContentLengthLong();
        }

        InputStream body() {
            return body;
        }

        URI uri() {
            return uri;
        }
    }

    /** A manifest or index as served. */
    public record Manifest(byte[] body, String mediaType, String digest) {
    }

    /** An open blob download; close it when done. {@code offset} is where the body starts (Range resume). */
    public record BlobStream(InputStream body, long offset, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    public RegistryClient(RegistrySettings settings) {
        this.settings = settings;
    }

    RegistrySettings settings() {
        return settings;
    }

    // ---- API calls ----

    /** Fetches a manifest or index by tag or digest and verifies its digest. */
    public Manifest manifest(ImageReference ref, String tagOrDigest) {
        URI uri = uri(ref.apiHost(), "/v2/" + ref.repository() + "/manifests/" + tagOrDigest);
        Response r = send(ref.registry(), pullScope(ref), "GET", uri,
                Map.of("Accept", MANIFEST_ACCEPT), null);
        try (InputStream in = r.body()) {
            if (r.statusCode() == 404) {
                String detail = errorDetail(in);
                throw new EngineException(EngineException.Reason.NOT_FOUND, "manifest_unknown",
                        "Image " + ref.familiar() + " was not found on registry " + ref.registry()
                                + ": the repository '" + ref.repository() + "' or its "
                                + (tagOrDigest.startsWith("sha256:") ? "digest " : "tag ") + "'" + tagOrDigest
                                + "' does not exist" + detail + ". Check the name and tag.");
            }
            expectOk(r, in, "fetch the manifest of " + ref.familiar());
            byte[] body = in.readNBytes(MAX_MANIFEST + 1);
            if (body.length > MAX_MANIFEST) {
                throw new EngineException(EngineException.Reason.UNSUPPORTED, "manifest_too_large",
                        "The manifest of " + ref.familiar() + " is larger than 4 MiB; refusing it.");
            }
            String digest = Digests.of(body);
            if (tagOrDigest.startsWith("sha256:")) {
                Digests.verify(tagOrDigest, digest, "the manifest of " + ref.familiar());
            } else {
                Optional<String> served = r.header("Docker-Content-Digest");
                if (served.isPresent() && served.get().startsWith("sha256:")) {
                    Digests.verify(served.get(), digest, "the manifest of " + ref.familiar());
                }
            }
            String type = r.header("Content-Type").orElse("").replaceFirst(";.*$", "").trim();
            return new Manifest(body, type, digest);
        } catch (IOException e) {
            throw unreachable(ref.registry(), e);
        }
    }

    /** Opens a blob, from {@code offset} on (HTTP Range) when offset &gt; 0. */
    public BlobStream blob(ImageReference ref, String digest, long offset) {
        URI uri = uri(ref.apiHost(), "/v2/" + ref.repository() + "/blobs/" + digest);
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        Response r = send(ref.registry(), pullScope(ref), "GET", uri, headers, null);
        InputStream in = r.body();
        try {
            if (r.statusCode() == 404) {
                in.close();
                throw new EngineException(EngineException.Reason.NOT_FOUND, "blob_unknown",
                        "Registry " + ref.registry() + " does not have blob " + digest + " of " + ref.name()
                                + " that the manifest lists. The image on the registry is incomplete.");
            }
            long length = r.contentLength();
            if (offset > 0 && r.statusCode() == 416) {
                // the partial download already holds the whole blob (a crash after the last byte): nothing to add
                in.close();
                return new BlobStream(InputStream.nullInputStream(), offset, 0);
            }
            if (offset > 0 && r.statusCode() == 206) {
                return new BlobStream(in, offset, length);
            }
            expectOk(r, in, "download blob " + digest + " of " + ref.familiar());
            return new BlobStream(in, 0, length);
        } catch (IOException e) {
            throw unreachable(ref.registry(), e);
        }
    }

    /** Repositories from the registry's catalog whose name contains {@code term} (all if term is empty). */
    public List<String> catalog(String registryHost, String term) {
        String host = registryHost.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : registryHost;
        List<String> out = new ArrayList<>();
        String path = "/v2/_catalog?n=1000";
        for (int page = 0; page < 100 && path != null; page++) {
            Response r = send(registryHost, "registry:catalog:*", "GET", uri(host, path), Map.of(), null);
            try (InputStream in = r.body()) {
                if (r.statusCode() == 404 || r.statusCode() == 401 || r.statusCode() == 403) {
                    throw new EngineException(EngineException.Reason.UNSUPPORTED, "catalog_unavailable",
                            "Registry " + registryHost + " does not offer a searchable catalog (HTTP "
                                    + r.statusCode() + "). Search on the registry's own site instead.");
                }
                expectOk(r, in, "read the catalog");
                JsonNode repos = ContentStore.JSON.readTree(in).path("repositories");
                for (JsonNode n : repos) {
                    if (term == null || term.isEmpty() || n.asText().contains(term)) {
                        out.add(n.asText());
                    }
                }
                path = r.header("Link").map(l -> {
                    Matcher m = Pattern.compile("<([^>]+)>").matcher(l);
                    return m.find() ? m.group(1) : null;
                }).orElse(null);
            } catch (IOException e) {
                throw unreachable(registryHost, e);
            }
        }
        return out;
    }

    // ---- transport ----

    private static String pullScope(ImageReference ref) {
        return "repository:" + ref.repository() + ":pull";
    }

    /** http for loopback and configured insecure registries, https otherwise. */
    URI uri(String apiHost, String path) {
        return URI.create(scheme(apiHost) + "://" + apiHost + path);
    }

    String scheme(String host) {
        if (settings.insecure().contains(host)) {
            return "http";
        }
        String bare = host.startsWith("[") ? host.substring(1, host.indexOf(']'))
                : (host.indexOf(':') >= 0 ? host.substring(0, host.lastIndexOf(':')) : host);
        if (bare.equals("localhost") || bare.equals("::1") || bare.startsWith("127.")) {
            return "http";
        }
        try {
            if (bare.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(bare).isLoopbackAddress()) {
                return "http";
            }
        } catch (UnknownHostException ignored) {
            // not an address literal
        }
        return "https";
    }

    /**
     * Sends a request with the registry's credentials, answering one 401 challenge (bearer or basic) and
     * following redirects. Returns the final response (the caller closes its body).
     */
    Response send(String registry, String scope, String method, URI uri, Map<String, String> headers,
                                   byte[] body) {
        String key = registry + "|" + scope;
        RegistrySettings.Credentials creds = settings.credentials().get(registry);
        String auth = currentAuth(key, registry, creds);
        Response r = exchange(registry, method, uri, headers, auth, body);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.header("WWW-Authenticate").orElse("");
        close(r);
        if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            auth = "Bearer " + fetchToken(registry, challenge, scope, creds, key);
        } else if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            if (creds == null) {
                throw new EngineException(EngineException.Reason.UNAUTHORIZED, "registry_auth_required",
                        "Registry " + registry + " requires a user name and password. Configure them with "
                                + "berth.registry.auth." + registry + "=user:password or in the engine's "
                                + "registry-auth.json.");
            }
            basicHosts.put(registry, true);
            auth = creds.basicHeader();
        } else {
            throw rejected(registry, creds, "it asked for an unsupported authentication scheme '" + challenge + "'");
        }
        r = exchange(registry, method, uri, headers, auth, body);
        if (r.statusCode() == 401) {
            close(r);
            tokens.remove(key);
            throw rejected(registry, creds, "it answered 401 Unauthorized");
        }
        return r;
    }

    private String currentAuth(String key, String registry, RegistrySettings.Credentials creds) {
        Token t = tokens.get(key);
        if (t != null && t.expiresAtMillis() > clock.millis()) {
            return "Bearer " + t.value();
        }
        if (creds != null && basicHosts.containsKey(registry)) {
            return creds.basicHeader();
        }
        return null;
    }

    private String fetchToken(String registry, String challenge, String scope, RegistrySettings.Credentials creds,
                              String key) {
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw rejected(registry, creds, "its bearer challenge names no token realm");
        }
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (params.containsKey("service")) {
            q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        q.append("scope=").append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
        URI tokenUri = URI.create(q.toString());
        Response r = exchange(registry, "GET", tokenUri, Map.of(),
                creds == null ? null : creds.basicHeader(), null);
        try (InputStream in = r.body()) {
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw rejected(registry, creds, "its token service refused " + (creds == null ? "anonymous access" : "the credentials"));
            }
            expectOk(r, in, "get a token from " + tokenUri.getHost());
            JsonNode json = ContentStore.JSON.readTree(in);
            String token = json.path("token").asText(json.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw rejected(registry, creds, "its token service returned no token");
            }
            long expires = json.path("expires_in").asLong(60);
            tokens.put(key, new Token(token, clock.millis() + Math.max(10, expires - 10) * 1000));
            return token;
        } catch (IOException e) {
            throw unreachable(tokenUri.getHost(), e);
        }
    }

    /** One request, following up to 5 redirects; Authorization is dropped when a redirect leaves the origin. */
    private Response exchange(String registry, String method, URI uri, Map<String, String> headers,
                                               String auth, byte[] body) {
        URI current = uri;
        String currentAuth = auth;
        for (int hop = 0; hop <= 5; hop++) {
            Response r;
            try {
                r = Response.open(current, method, headers, currentAuth, body);
            } catch (IOException e) {
                throw unreachable(current.getHost() == null ? registry : current.getAuthority(), e);
            }
            int s = r.statusCode();
            if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
                Optional<String> location = r.header("Location");
                close(r);
                if (location.isEmpty()) {
                    throw new EngineException(EngineException.Reason.UNAVAILABLE, "registry_error",
                            "Registry " + registry + " answered a redirect without a Location.");
                }
                URI next = current.resolve(location.get());
                if (!sameOrigin(current, next)) {
                    currentAuth = null;
                }
                current = next;
                if (s == 303) {
                    method = "GET";
                    body = null;
                }
                continue;
            }
            return r;
        }
        throw new EngineException(EngineException.Reason.UNAVAILABLE, "too_many_redirects",
                "Registry " + registry + " redirected more than 5 times for " + uri + ".");
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
                && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("https".equalsIgnoreCase(u.getScheme()) ? 443 : 80);
    }

    private static void close(Response r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static void expectOk(Response r, InputStream in, String what) throws IOException {
        int s = r.statusCode();
        if (s / 100 == 2) {
            return;
        }
        String detail = errorDetail(in);
        URI u = r.uri();
        if (s == 403) {
            throw new EngineException(EngineException.Reason.UNAUTHORIZED, "registry_denied",
                    "Registry " + u.getAuthority() + " denied access when trying to " + what + detail
                            + ". Check the credentials' permissions.");
        }
        throw new EngineException(EngineException.Reason.UNAVAILABLE, "registry_error",
                "Registry " + u.getAuthority() + " answered HTTP " + s + " when trying to " + what + detail + ".");
    }

    private static String errorDetail(InputStream in) {
        try {
            JsonNode errors = ContentStore.JSON.readTree(in.readNBytes(64 * 1024)).path("errors");
            List<String> parts = new ArrayList<>();
            errors.forEach(e -> parts.add(e.path("code").asText() + ": " + e.path("message").asText()));
            return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
        } catch (Exception e) {
            return "";
        }
    }

    private static EngineException rejected(String registry, RegistrySettings.Credentials creds, String why) {
        if (creds == null) {
            return new EngineException(EngineException.Reason.UNAUTHORIZED, "registry_auth_required",
                    "Registry " + registry + " refused anonymous access: " + why + ". The repository may not exist, "
                            + "or it needs credentials: configure them with "
                            + "berth.registry.auth." + registry + "=user:password (or the engine's registry-auth.json).");
        }
        return new EngineException(EngineException.Reason.UNAUTHORIZED, "registry_credentials_rejected",
                "Registry " + registry + " rejected the credentials of user '" + creds.username() + "': " + why
                        + ". Check the user name and password configured for " + registry + ".");
    }

    static EngineException unreachable(String host, IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e instanceof SocketTimeoutException ? "timed out"
                : e instanceof UnknownHostException ? "unknown host"
                : String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        return new EngineException(EngineException.Reason.UNAVAILABLE, "registry_unreachable",
                "Cannot reach registry " + host + " (" + why + "). Check the host name and port, that the "
                        + "registry is running and that this machine can reach it.", e);
    }
}
