package dev.berth.engine.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A small push client for tests, over the registry HTTP API: blobs by monolithic upload (POST + PUT) or in
 * chunks (POST + PATCH... + PUT), manifests by PUT.
 */
public final class Pusher {
    private final String base;
    private final String auth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Pusher(String base, String user, String password) {
        this.base = base;
        this.auth = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder req(String url) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b;
    }

    private static void check(HttpResponse<String> r, String what) throws IOException {
        if (r.statusCode() / 100 != 2) {
            throw new IOException(what + " failed: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    private String location(HttpResponse<String> r) {
        String loc = r.headers().firstValue("Location").orElseThrow();
        return loc.startsWith("http") ? loc : base + loc;
    }

    /** Uploads a blob; chunked when {@code chunks > 1}. Returns its digest. */
    public String blob(String repo, byte[] data, int chunks) throws Exception {
        String digest = Digests.of(data);
        HttpResponse<String> head = http.send(req(base + "/v2/" + repo + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (head.statusCode() == 200) {
            return digest;
        }
        HttpResponse<String> start = http.send(req(base + "/v2/" + repo + "/blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        check(start, "starting upload");
        String loc = location(start);
        if (chunks > 1) {
            int size = (data.length + chunks - 1) / chunks;
            for (int off = 0; off < data.length; off += size) {
                byte[] part = Arrays.copyOfRange(data, off, Math.min(data.length, off + size));
                HttpResponse<String> r = http.send(req(loc).header("Content-Type", "application/octet-stream")
                        .header("Content-Range", off + "-" + (off + part.length - 1))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(part)).build(),
                        HttpResponse.BodyHandlers.ofString());
                check(r, "uploading a chunk");
                loc = location(r);
            }
            data = new byte[0];
        }
        String sep = loc.contains("?") ? "&" : "?";
        HttpResponse<String> put = http.send(req(loc + sep + "digest=" + digest)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        check(put, "finishing upload");
        return digest;
    }

    /** Puts a manifest (or index) under a tag or digest; returns its digest. */
    public String manifest(String repo, String reference, String mediaType, byte[] body) throws Exception {
        HttpRequest.Builder b = req(base + "/v2/" + repo + "/manifests/" + reference);
        if (mediaType != null) {
            b.header("Content-Type", mediaType);
        }
        HttpResponse<String> r = http.send(b.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        check(r, "putting manifest " + repo + ":" + reference);
        return Digests.of(body);
    }
}
