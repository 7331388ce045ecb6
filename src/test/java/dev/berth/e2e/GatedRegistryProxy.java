package dev.berth.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP proxy in front of a test registry that holds every large blob download part-way until the test
 * {@link #release()}s it: a pull stays observably "in progress" for exactly as long as the test needs, without
 * sleeps. Blobs over {@code 3 MB} stop at 40% of their bytes, those over {@code holdOver} at 75%.
 */
final class GatedRegistryProxy implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String upstream;
    private final long holdOver;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Semaphore held = new Semaphore(0);

    GatedRegistryProxy(String upstream, long holdOver) throws IOException {
        this.upstream = upstream;
        this.holdOver = holdOver;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits until {@code count} blob downloads are being held (bounded: fails after 30 s). */
    void awaitHeld(int count) throws InterruptedException {
        if (!held.tryAcquire(count, 30, TimeUnit.SECONDS)) {
            throw new AssertionError("expected " + count + " blob downloads to reach the gate within 30 s");
        }
    }

    /** Lets every held and future download finish. */
    void release() {
        gate.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + path));
        for (String h : new String[] {"Accept", "Range", "Authorization", "Content-Type"}) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                request.header(h, v);
            }
        }
        request.method(method, HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        for (String h : new String[] {"Content-Type", "Docker-Content-Digest", "Content-Range", "WWW-Authenticate",
                "Accept-Ranges", "Docker-Distribution-Api-Version", "Location"}) {
            response.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (method.equals("HEAD") || length == 0) {
                ex.sendResponseHeaders(response.statusCode(), -1);
                ex.close();
                return;
            }
            ex.sendResponseHeaders(response.statusCode(), length < 0 ? 0 : length);
            OutputStream out = ex.getResponseBody();
            boolean hold = method.equals("GET") && path.contains("/blobs/sha256:") && length > holdOver
                    && response.statusCode() == 200;
            if (hold) {
                long first = length > 3_000_000 ? length * 40 / 100 : length * 75 / 100;
                out.write(in.readNBytes((int) first));
                out.flush();
                held.release();
                try {
                    if (!gate.await(5, TimeUnit.MINUTES)) {
                        throw new IOException("the test never released the gate");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            in.transferTo(out);
            out.close();
        }
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
