package dev.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of a test registry that logs requests and can cut the first blob downloads
 * after a number of bytes (the connection drops mid-layer).
 */
final class CuttingProxy implements AutoCloseable {
    private final HttpServer server;
    private final String upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final AtomicInteger cutsLeft = new AtomicInteger();
    volatile long cutAfter = Long.MAX_VALUE;
    /** "METHOD path [range]" per request. */
    final List<String> log = new CopyOnWriteArrayList<>();

    CuttingProxy(String upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    long count(String prefix) {
        return log.stream().filter(l -> l.startsWith(prefix)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        String range = ex.getRequestHeaders().getFirst("Range");
        log.add(method + " " + path + (range == null ? "" : " " + range));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + path));
        for (String h : new String[]{"Accept", "Range", "Authorization"}) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        b.method(method, HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
        HttpResponse<InputStream> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        for (String h : new String[]{"Content-Type", "Docker-Content-Digest", "Content-Range", "WWW-Authenticate", "Accept-Ranges", "Docker-Distribution-Api-Version"}) {
            r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
        }
        long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean cut = method.equals("GET") && path.contains("/blobs/sha256:") && length > cutAfter
                && cutsLeft.getAndDecrement() > 0;
        try (InputStream in = r.body()) {
            if (method.equals("HEAD") || length == 0) {
                ex.sendResponseHeaders(r.statusCode(), -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(r.statusCode(), length < 0 ? 0 : length);
            OutputStream out = ex.getResponseBody();
            if (cut) {
                out.write(in.readNBytes((int) cutAfter));
                out.flush();
                // drop the connection without finishing the body
                throw new IOException("cut by test proxy");
            }
            in.transferTo(out);
            out.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
