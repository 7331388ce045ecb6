package dev.berth.engine.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Debian's docker-registry (distribution 2.8) on 127.0.0.1 at a free port, optionally with htpasswd auth. */
public final class TestRegistry implements AutoCloseable {
    public static final String USER = "tester";
    public static final String PASSWORD = "s3cret-pass";

    private final Path dir;
    private final int port;
    private final boolean auth;
    private final Process process;

    private TestRegistry(Path dir, int port, boolean auth, Process process) {
        this.dir = dir;
        this.port = port;
        this.auth = auth;
        this.process = process;
    }

    public static TestRegistry start(Path dir, boolean auth) throws Exception {
        Files.createDirectories(dir);
        int port = freePort();
        StringBuilder yml = new StringBuilder("version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\n")
                .append("storage: {filesystem: {rootdirectory: ").append(dir.resolve("data")).append("}, delete: {enabled: true}}\n")
                .append("http: {addr: 127.0.0.1:").append(port).append("}\n");
        if (auth) {
            Process h = new ProcessBuilder("htpasswd", "-Bbn", USER, PASSWORD).redirectErrorStream(true).start();
            String line = new String(h.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (h.waitFor() != 0) {
                throw new IOException("htpasswd failed: " + line);
            }
            Files.writeString(dir.resolve("htpasswd"), line + "\n");
            yml.append("auth: {htpasswd: {realm: berth-test, path: ").append(dir.resolve("htpasswd")).append("}}\n");
        }
        Files.writeString(dir.resolve("config.yml"), yml);
        Process p = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        TestRegistry r = new TestRegistry(dir, port, auth, p);
        r.awaitReady();
        return r;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try {
                HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200 || r.statusCode() == 401) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("docker-registry did not start on port " + port);
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://" + host();
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    /** The file holding a blob in the registry's storage (to corrupt it in tests). */
    public Path blobData(String digest) {
        String hex = Digests.hex(digest);
        return dataDir().resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    public Pusher pusher() {
        return new Pusher(url(), auth ? USER : null, auth ? PASSWORD : null);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
