package dev.berth.web.terminal;

import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.terminal.AttachedProcessSource;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/terminals: Berth's terminal WebSocket against Docker's attach WebSocket, same client code, same run.
 * Run through bench/terminals/run.sh (needs dockerd on tcp://127.0.0.1:2375 and the image it imports).
 * Prints a Markdown table; not part of the normal test run.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class TerminalBenchmark {
    private static final String ADMIN = WsClient.basic("admin", "test-admin-password");
    private static final String DOCKER = System.getProperty("berth.bench.docker", "http://127.0.0.1:2375");
    private static final String IMAGE = System.getProperty("berth.bench.image", "berth-bench-busybox");
    private static final int KEYS = 2000;
    /** One client kept reachable: the JDK closes the WebSockets of an HttpClient that is garbage collected. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LINE = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;

    private final NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
    private final List<RunningProcess> containers = new ArrayList<>();
    private final List<String> dockerContainers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();

    /** A WebSocket reader: counts payload bytes; for Berth frames it tracks the stream position. */
    static final class Reader implements WebSocket.Listener {
        final boolean berth;
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong position = new AtomicLong(-1);
        volatile int snapshots;
        volatile boolean stalled;
        volatile long doneAt;
        long target = Long.MAX_VALUE;
        WebSocket ws;

        Reader(boolean berth) {
            this.berth = berth;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (berth) {
                accept(data, last);
            } else {
                add(data.remaining());
            }
            if (!stalled) webSocket.request(1);
            return null;
        }

        /**
         * One part of a Berth binary message. The JDK hands over a message's payload in parts of any size, as the
         * bytes arrive: even the 9-byte header (type, seq) may be split across parts, so it is collected first.
         */
        void accept(ByteBuffer data, boolean last) {
            if (header.hasRemaining()) {
                while (header.hasRemaining() && data.hasRemaining()) header.put(data.get());
                if (!header.hasRemaining()) {
                    header.flip();
                    byte type = header.get();
                    long seq = header.getLong();
                    inSnapshot = type == 2;
                    if (inSnapshot) snapshots++;
                    position.set(seq);
                }
            }
            if (inSnapshot || header.hasRemaining()) {
                data.position(data.limit());
            }
            int n = data.remaining();
            if (n > 0) {
                bytes.addAndGet(n);
                position.addAndGet(n);
            }
            if (last) header.clear();
            if (position.get() >= target && doneAt == 0) doneAt = System.nanoTime();
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            this.error = error; // reported in the results: a reader that dies must not look like a stall
        }

        private final ByteBuffer header = ByteBuffer.allocate(9);
        private boolean inSnapshot;
        volatile Throwable error;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (!berth) add(data.toString().getBytes(StandardCharsets.UTF_8).length);
            if (!stalled) webSocket.request(1);
            return null;
        }

        private void add(int n) {
            long total = bytes.addAndGet(n);
            if (total >= target && doneAt == 0) doneAt = System.nanoTime();
        }

        long progress() {
            return berth ? position.get() : bytes.get();
        }

        void send(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (berth) {
                ByteBuffer f = ByteBuffer.allocate(b.length + 1).put((byte) 0).put(b).flip();
                ws.sendBinary(f, true).join();
            } else {
                ws.sendBinary(ByteBuffer.wrap(b), true).join();
            }
        }
    }

    // ------------------------------------------------------------------ setup

    private String berthTerminal(String script) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bbench");
        dirs.add(dir);
        TestRootfs.Layers layers = TestRootfs.layers(dir);
        String id = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        RunningProcess p = runtime.start(RuntimeSpec.builder(id, Files.createDirectories(dir.resolve("state")))
                .rootfs(layers.lowerDirs(), layers.upper(), layers.work()).args("/bin/sh", "-c", script)
                .env(List.of("PATH=/bin")).tty(true).openStdin(true).build());
        containers.add(p);
        registry.open(id, "admin", new AttachedProcessSource(p, false), 80, 24);
        return id;
    }

    private Reader berthClient(String terminal) throws Exception {
        Reader r = new Reader(true);
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal + "?cols=80&rows=24");
        r.ws = HTTP.newWebSocketBuilder().header("Authorization", ADMIN).buildAsync(uri, r).get(20, TimeUnit.SECONDS);
        return r;
    }

    private String dockerContainer(String script) throws Exception {
        String name = "berth-bench-" + UUID.randomUUID().toString().substring(0, 8);
        run("docker", "-H", DOCKER.replace("http://", "tcp://"), "run", "-d", "-it", "--name", name, "--network", "none", IMAGE, "/bin/sh", "-c", script);
        dockerContainers.add(name);
        return name;
    }

    private Reader dockerClient(String name) throws Exception {
        Reader r = new Reader(false);
        URI uri = URI.create(DOCKER.replace("http://", "ws://") + "/containers/" + name + "/attach/ws?stream=1&stdin=1&stdout=1&stderr=1");
        r.ws = HTTP.newWebSocketBuilder().buildAsync(uri, r).get(20, TimeUnit.SECONDS);
        return r;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    // ------------------------------------------------------------------ measurements

    /** p50/p99 of keystroke → echo (raw-mode cat echoes each byte), in microseconds. */
    private double[] echo(Reader r) throws InterruptedException {
        long[] lat = new long[KEYS];
        Thread.sleep(500);
        long base = r.bytes.get();
        for (int i = -200; i < KEYS; i++) {
            long want = base + 1;
            long t0 = System.nanoTime();
            r.send(String.valueOf((char) ('a' + Math.floorMod(i, 26))));
            while (r.bytes.get() < want) {
                Thread.onSpinWait();
                if (System.nanoTime() - t0 > 5_000_000_000L) throw new AssertionError("no echo after " + (i + 200) + " keys: bytes " + r.bytes.get() + " position " + r.position.get() + " repaints " + r.snapshots + "; hubs: " + registry.all().stream().map(h -> h.id() + " seq " + h.sequence() + " clients " + h.clients().size() + " queued " + h.clients().stream().map(c -> c.queuedBytes() + "/" + c.resyncs()).toList()).toList());
            }
            long t1 = System.nanoTime();
            base = r.bytes.get();
            if (i >= 0) lat[i] = t1 - t0;
        }
        Arrays.sort(lat);
        return new double[]{lat[KEYS / 2] / 1000.0, lat[KEYS * 99 / 100] / 1000.0};
    }

    /** Triggers one burst of {@code bytes} and waits for every reader; returns MB/s per reader (median) etc. */
    private static String burst(List<Reader> readers, Reader trigger, long bytes, List<Reader> stalled, int timeoutSeconds) throws InterruptedException {
        Thread.sleep(300);
        long[] start = new long[readers.size()];
        for (int i = 0; i < readers.size(); i++) {
            Reader r = readers.get(i);
            start[i] = r.progress();
            r.target = Math.max(0, start[i]) + bytes;
            r.doneAt = 0;
        }
        long[] rb = readers.stream().mapToLong(r -> r.bytes.get()).toArray();
        for (Reader s : stalled) s.stalled = true;
        long t0 = System.nanoTime();
        trigger.send("\n");
        long deadline = t0 + timeoutSeconds * 1_000_000_000L;
        while (readers.stream().anyMatch(r -> r.doneAt == 0) && System.nanoTime() < deadline) Thread.sleep(5);
        long end = System.nanoTime();
        double[] mbps = new double[readers.size()];
        int finished = 0;
        long snapshots = 0;
        for (int i = 0; i < readers.size(); i++) {
            Reader r = readers.get(i);
            long got = r.bytes.get() - rb[i];
            long t = (r.doneAt == 0 ? end : r.doneAt) - t0;
            mbps[i] = got / 1e6 / (t / 1e9);
            if (r.doneAt != 0) finished++;
            snapshots += r.snapshots;
        }
        Arrays.sort(mbps);
        long failed = readers.stream().filter(r -> r.error != null).count();
        String errors = failed == 0 ? "" : "; " + failed + " reader(s) failed: " + readers.stream().filter(r -> r.error != null)
                .map(r -> String.valueOf(r.error)).distinct().toList();
        for (Reader s : stalled) {
            s.stalled = false;
            s.ws.request(1);
        }
        return String.format(Locale.ROOT, "%.1f MB/s median per reader (min %.1f); %d/%d readers got the whole stream in %ds%s",
                mbps[mbps.length / 2], mbps[0], finished, readers.size(), timeoutSeconds,
                snapshots > 0 ? "; repaints: " + snapshots : "") + errors;
    }

    private static String burstScript(long bytes) {
        return "stty raw -echo; while read x; do yes '" + LINE + "' | head -c " + bytes + "; done";
    }

    @Test
    void compareWithDockerAttach() throws Exception {
        try {
            report.append("| measurement | Berth | Docker attach/ws | ratio (Docker/Berth) |\n|---|---|---|---|\n");
            // echo latency
            String t = berthTerminal("stty raw -echo; exec cat");
            Reader b = berthClient(t);
            double[] be = echo(b);
            Reader d = dockerClient(dockerContainer("stty raw -echo; exec cat"));
            double[] de = echo(d);
            row("echo p50 (µs), " + KEYS + " keystrokes", be[0], de[0], "%.0f");
            row("echo p99 (µs)", be[1], de[1], "%.0f");

            long big = Long.getLong("berth.bench.bytes", 100_000_000L);
            for (int n : new int[]{1, 10, 50}) {
                long bytes = n == 1 ? big : big / 5;
                String bt = berthTerminal(burstScript(bytes));
                List<Reader> br = new ArrayList<>();
                for (int i = 0; i < n; i++) br.add(berthClient(bt));
                String bres = burst(br, br.get(0), bytes, List.of(), 120);
                String dn = dockerContainer(burstScript(bytes));
                List<Reader> dr = new ArrayList<>();
                for (int i = 0; i < n; i++) dr.add(dockerClient(dn));
                String dres = burst(dr, dr.get(0), bytes, List.of(), 120);
                report.append("| ").append(n).append(" client(s), ").append(bytes / 1_000_000).append(" MB | ").append(bres)
                        .append(" | ").append(dres).append(" | |\n");
                for (Reader r : br) r.ws.abort();
                for (Reader r : dr) r.ws.abort();
            }
            // one stalled reader among 10
            long bytes = big / 5;
            String bt = berthTerminal(burstScript(bytes));
            List<Reader> br = new ArrayList<>();
            for (int i = 0; i < 11; i++) br.add(berthClient(bt));
            Reader bstall = br.remove(10);
            String bres = burst(br, br.get(0), bytes, List.of(bstall), 60);
            TerminalHub hub = registry.find(bt).orElseThrow();
            long maxQueued = hub.clients().stream().mapToLong(TerminalClient::queuedBytes).max().orElse(0);
            long resyncs = hub.clients().stream().mapToLong(TerminalClient::resyncs).sum();
            String dn = dockerContainer(burstScript(bytes));
            List<Reader> dr = new ArrayList<>();
            for (int i = 0; i < 11; i++) dr.add(dockerClient(dn));
            Reader dstall = dr.remove(10);
            String dres = burst(dr, dr.get(0), bytes, List.of(dstall), 60);
            report.append("| 10 readers + 1 stalled, ").append(bytes / 1_000_000).append(" MB | ").append(bres)
                    .append("; stalled one dropped to resync ").append(resyncs).append("x, largest queue ").append(maxQueued / 1024)
                    .append(" KiB | ").append(dres).append(" | |\n");
        } finally {
            System.out.println("\n=== terminal benchmark ===\n" + report);
            Files.writeString(Path.of("target/terminal-bench.md"), report.toString());
            for (RunningProcess p : containers) {
                p.kill(9);
                try {
                    p.exit().get(20, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // best effort
                }
            }
            for (Path d : dirs) {
                try (var files = Files.walk(d)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort
                }
            }
            for (String c : dockerContainers) {
                try {
                    run("docker", "-H", DOCKER.replace("http://", "tcp://"), "rm", "-f", c);
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private void row(String what, double berth, double docker, String fmt) {
        report.append("| ").append(what).append(" | ").append(String.format(Locale.ROOT, fmt, berth)).append(" | ")
                .append(String.format(Locale.ROOT, fmt, docker)).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", docker / berth)).append(" |\n");
    }
}
