package dev.berth.web.terminal;

import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.ReadLoops;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.terminal.AttachedProcessSource;
import dev.berth.terminal.ForwardingSource;
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
 * bench/terminals: Berth's terminal WebSocket against Docker's attach WebSocket, same client, same run. The client
 * is bench/terminals/wsbench.c in its own process: the JDK's WebSocket client in the server's JVM cost more than
 * the server on 2 cores. The {@link Reader} here is the Java client that {@link TerminalFanoutTest} uses.
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
    /** The echo program: the PTY in raw mode without its own echo, cat writing back each byte it reads. */
    private static final String ECHO = "stty raw -echo; exec cat";
    /** Keystrokes before the warm echo measurement: enough for the JIT to compile the keystroke's path. */
    private static final int WARM_KEYS = Integer.getInteger("berth.bench.warm-keys", 30_000);
    /** The C client, compiled by run.sh. */
    private static final String WSBENCH = System.getProperty("berth.bench.wsbench", "target/wsbench");
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
        RunningProcess p = container("bench", script);
        registry.open(p.id(), "admin", new AttachedProcessSource(p, false), 80, 24);
        return p.id();
    }

    /**
     * {@code -Dberth.bench.read-ab=echo|1|50}: the output read on the server's event loops (the default) against a
     * reader thread per terminal, interleaved in one JVM on two terminals alike but for that (the second one's source
     * is not given the loops): 12 rounds of the echo, or 8 rounds of a burst to 1 or 50 readers with the bare PTY's
     * floor before each (the order alternates). Prints STUDY lines to the test's output; writes no report.
     */
    private void readAb(String what) throws Exception {
        boolean echo = what.equals("echo");
        int readers = echo ? 1 : Integer.parseInt(what);
        long n = readers == 1 ? 100_000_000L : 20_000_000L;
        String script = echo ? ECHO : burstScript(n);
        Target onLoops = berthTarget(berthTerminal(script));
        RunningProcess p = container("benchthread", script);
        registry.open(p.id(), "admin", new ForwardingSource(new AttachedProcessSource(p, false)) {
            @Override
            public void useReadLoops(ReadLoops loops) {
                // withheld: this one keeps its reader thread
            }
        }, 80, 24);
        Target onThread = berthTarget(p.id());
        if (echo) {
            echo(onLoops, 20000);
            echo(onThread, 20000);
            awaitJitQuiet();
            for (int round = 1; round <= 12; round++) {
                double[] a = echo(onLoops, 5000);
                double[] b = echo(onThread, 5000);
                System.out.printf(Locale.ROOT, "STUDY echo %d p50/p99 loops %.0f %.0f thread %.0f %.0f%n", round, a[0], a[1], b[0], b[1]);
            }
            return;
        }
        for (int i = 0; i < 3; i++) {
            burstFigures(onLoops, readers, 0, n, 120);
            burstFigures(onThread, readers, 0, n, 120);
        }
        awaitJitQuiet();
        for (int round = 1; round <= 8; round++) {
            String floor = wsbenchLocal("pty-burst", ptyScript(100_000_000L), "100000000")[0];
            String a = null, b;
            if (round % 2 == 0) a = burstFigures(onLoops, readers, 0, n, 120)[0];
            b = burstFigures(onThread, readers, 0, n, 120)[0];
            if (a == null) a = burstFigures(onLoops, readers, 0, n, 120)[0];
            System.out.printf(Locale.ROOT, "STUDY burst readers %d round %d floor %s loops %s thread %s%n", readers, round, floor, a, b);
        }
    }

    /** A container under berth-monitor with no hub attached; returns its monitor's attach socket. */
    private String monitorOnlyContainer(String script) throws Exception {
        return container("benchmon", script).stateDir().resolve("attach.sock").toString();
    }

    /** A container with a TTY running {@code script} under busybox sh, removed at the end. */
    private RunningProcess container(String prefix, String script) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bbench");
        dirs.add(dir);
        TestRootfs.Layers layers = TestRootfs.layers(dir);
        String id = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        RunningProcess p = runtime.start(RuntimeSpec.builder(id, Files.createDirectories(dir.resolve("state")))
                .rootfs(layers.lowerDirs(), layers.upper(), layers.work()).args("/bin/sh", "-c", script)
                .env(List.of("PATH=/bin")).tty(true).openStdin(true).build());
        containers.add(p);
        return p;
    }

    private String dockerContainer(String script) throws Exception {
        String name = "berth-bench-" + UUID.randomUUID().toString().substring(0, 8);
        run("docker", "-H", DOCKER.replace("http://", "tcp://"), "run", "-d", "-it", "--name", name, "--network", "none", IMAGE, "/bin/sh", "-c", script);
        dockerContainers.add(name);
        return name;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    // ------------------------------------------------------------------ measurements (bench/terminals/wsbench.c)

    /** Where a WebSocket client connects: host, port, path, Authorization ("-" for none), protocol kind. */
    private record Target(String host, int port, String path, String auth, String kind) {
    }

    private Target berthTarget(String terminal) {
        return new Target(base.getHost(), base.getPort(), "/ws/terminals/" + terminal + "?cols=80&rows=24", ADMIN, "berth");
    }

    private static Target dockerTarget(String name) {
        URI d = URI.create(DOCKER);
        return new Target(d.getHost(), d.getPort(), "/containers/" + name + "/attach/ws?stream=1&stdin=1&stdout=1&stderr=1", "-", "docker");
    }

    /** Runs the C client (its own process: the client's cost stays out of the server's JVM) and returns its numbers. */
    private static String[] wsbench(String mode, Target t, String... more) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(WSBENCH, mode, t.host(), String.valueOf(t.port()), t.path(), t.auth(), t.kind()));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) throw new IOException("wsbench " + mode + " on " + t.path() + " failed (exit " + p.exitValue() + ")");
        return out.split(" ");
    }

    /** p50/p99 of keystroke → echo (raw-mode cat echoes each byte), in microseconds. */
    private static double[] echo(Target t, int warmup) throws IOException, InterruptedException {
        String[] r = wsbench("echo", t, String.valueOf(KEYS), String.valueOf(warmup));
        return new double[]{Double.parseDouble(r[0]), Double.parseDouble(r[1])};
    }

    /** One burst of {@code bytes} to {@code readers} clients (plus {@code stalled} that never read). */
    private static String burst(Target t, int readers, int stalled, long bytes, int timeoutSeconds) throws IOException, InterruptedException {
        return describe(burstFigures(t, readers, stalled, bytes, timeoutSeconds), timeoutSeconds);
    }

    /** A burst's figures ({@link #burstFigures}) as the report shows them. */
    private static String describe(String[] r, int timeoutSeconds) {
        int repaints = Integer.parseInt(r[4]);
        int failed = Integer.parseInt(r[5]);
        return String.format(Locale.ROOT, "%s MB/s median per reader (min %s); %s/%s readers got the whole stream in %ds%s%s",
                r[0], r[1], r[2], r[3], timeoutSeconds, repaints > 0 ? "; repaints: " + repaints : "",
                failed > 0 ? "; " + failed + " reader(s) lost their connection" : "");
    }

    /** wsbench's figures of a burst: median and min MB/s per reader, finished, readers, repaints, failed. */
    private static String[] burstFigures(Target t, int readers, int stalled, long bytes, int timeoutSeconds)
            throws IOException, InterruptedException {
        return wsbench("burst", t, String.valueOf(readers), String.valueOf(stalled), String.valueOf(bytes), String.valueOf(timeoutSeconds));
    }

    /**
     * Prints {@code bytes} (whole MB) of text lines per line it reads. The lines are prepared once in a 1 MB file
     * and written with cat: busybox {@code yes | head -c} writes in small pieces and tops out near 20 MB/s on a
     * bare PTY, which capped Berth and Docker alike in the first run with this client.
     */
    private static String burstScript(long bytes) {
        return burstScript("'" + LINE + "'", bytes);
    }

    /** The same with coloured lines, as a log or a compiler prints them: two SGR sequences in each 97-byte line. */
    private static String colouredBurstScript(long bytes) {
        return burstScript("\"$(printf '\\033[32mINFO\\033[0m " + LINE + "')\"", bytes);
    }

    private static String burstScript(String quotedLine, long bytes) {
        return "stty raw -echo; yes " + quotedLine + " | head -c 1000000 > /tmp/chunk; "
                + "while read x; do i=0; while [ $i -lt " + Math.max(1, bytes / 1_000_000) + " ]; do cat /tmp/chunk; i=$((i+1)); done; done";
    }

    /** The same producer with no server in between (bytes start at once: no line to wait for). */
    private static String ptyScript(long bytes) {
        return "stty raw -echo; yes '" + LINE + "' | head -c 1000000 > /tmp/berth-bench-chunk; "
                + "i=0; while [ $i -lt " + Math.max(1, bytes / 1_000_000) + " ]; do cat /tmp/berth-bench-chunk; i=$((i+1)); done; rm -f /tmp/berth-bench-chunk";
    }

    private static String[] wsbenchLocal(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(WSBENCH));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) throw new IOException("wsbench " + args[0] + " failed (exit " + p.exitValue() + ")");
        return out.split(" ");
    }

    @Test
    void compareWithDockerAttach() throws Exception {
        try {
            report.append("| measurement | Berth | Docker attach/ws | ratio (Docker/Berth) |\n|---|---|---|---|\n");
            int profile = Integer.getInteger("berth.bench.profile", 0);
            if (profile > 0) {
                // for a profiler: only Berth's burst to that many readers, 3x the bytes (see bench/terminals/README.md),
                // after the warm-up of the full run (WARM_ROUNDS rounds of a burst to 1 and to 50) and an idle JIT, so
                // that the profile shows compiled code (a burst of a tenth of the bytes left C2 at a quarter of the samples)
                long big = Long.getLong("berth.bench.bytes", 100_000_000L);
                long n = 3 * burstBytes(profile, big);
                warmUp(big, false);
                awaitJitQuiet();
                report.append("| ").append(profile).append(" client(s), ").append(n / 1_000_000).append(" MB (profile run) | ")
                        .append(burst(berthTarget(berthTerminal(burstScript(n))), profile, 0, n, 120)).append(" | | |\n");
                return;
            }
            if (System.getProperty("berth.bench.read-ab") != null) {
                readAb(System.getProperty("berth.bench.read-ab"));
                return;
            }
            int stalledStudy = Integer.getInteger("berth.bench.stalled-pairs", 0);
            if (stalledStudy > 0) {
                // only the stalled-reader pairs, after the throughput rows' warm-up and an idle JIT
                long big = Long.getLong("berth.bench.bytes", 100_000_000L);
                warmUp(big, false);
                report.setLength(0);
                report.append("After the warm-up, ").append(awaitJitQuiet()).append(":\n\n");
                stalledPairs(burstBytes(10, big), stalledStudy);
                return;
            }
            if (Boolean.getBoolean("berth.bench.echo-only")) {
                // for a profiler or a JIT study: Berth's echo only, eight rounds (berth.bench.echo-rounds) on one
                // terminal, each its own connection with 5000 unmeasured keystrokes (200 in the first); before the
                // fifth, the JIT is waited for (not with berth.bench.no-jit-wait). After each round, the same echo
                // through a monitor alone and on a bare PTY, for the layers.
                report.setLength(0);
                report.append("| round | Berth echo p50 / p99 (µs), 2000 keystrokes | berth-monitor alone | bare PTY |\n|---|---|---|---|\n");
                Target t = berthTarget(berthTerminal(ECHO));
                String monitorSocket = monitorOnlyContainer(ECHO);
                for (int round = 1; round <= Integer.getInteger("berth.bench.echo-rounds", 8); round++) {
                    if (round == 5 && !Boolean.getBoolean("berth.bench.no-jit-wait")) report.append("| (").append(awaitJitQuiet()).append(") | | | |\n");
                    double[] r = echo(t, round == 1 ? 200 : 5000);
                    String[] m = wsbenchLocal("mon-echo", monitorSocket, String.valueOf(KEYS), "5000");
                    String[] pe = wsbenchLocal("pty-echo", String.valueOf(KEYS));
                    report.append(String.format(Locale.ROOT, "| %d | %.0f / %.0f | %s / %s | %s / %s |%n", round, r[0], r[1],
                            m[0], m[1], pe[0], pe[1]));
                }
                return;
            }
            // cold: the first keystrokes this server handles (the JIT has not compiled the input and output paths yet).
            // warm: a terminal that has had WARM_KEYS keystrokes, then an idle JIT, then a new connection, as in a
            // server that has been in use for a while. Docker's daemon is compiled ahead of time; it gets the same.
            double[] be = echo(berthTarget(berthTerminal(ECHO)), 200);
            double[] de = echo(dockerTarget(dockerContainer(ECHO)), 200);
            row("echo p50 (µs), " + KEYS + " keystrokes, cold: right after the server started", be[0], de[0], "%.0f");
            row("echo p99 (µs), cold", be[1], de[1], "%.0f");
            Target warmBerth = berthTarget(berthTerminal(ECHO));
            Target warmDocker = dockerTarget(dockerContainer(ECHO));
            echo(warmBerth, WARM_KEYS); // the warm-up itself; its figures are not reported
            echo(warmDocker, WARM_KEYS);
            String jit = awaitJitQuiet();
            // a new connection: its own code paths (join, repaint, presence) get compiled during its 5000 warm-up keys
            double[] bw = echo(warmBerth, 5000);
            double[] dw = echo(warmDocker, 5000);
            row("echo p50 (µs), " + KEYS + " keystrokes, warm: after " + WARM_KEYS + " keystrokes, " + jit + ", then 5000 more",
                    bw[0], dw[0], "%.0f");
            row("echo p99 (µs), warm", bw[1], dw[1], "%.0f");
            // the monitor alone (its attach socket, a C client, no JVM): what the server side adds on top of it
            String monitorSocket = monitorOnlyContainer(ECHO);
            Thread.sleep(300); // the shell runs stty before cat echoes raw
            String[] me = wsbenchLocal("mon-echo", monitorSocket, String.valueOf(KEYS), "5000");
            report.append("| echo through berth-monitor alone (its attach socket, C client, no JVM) p50 / p99 (µs) | ")
                    .append(me[0]).append(" / ").append(me[1]).append(" | | |\n");
            String[] pe = wsbenchLocal("pty-echo", String.valueOf(KEYS));
            report.append("| floor: bare local PTY echo p50 / p99 (µs), no server | ").append(pe[0]).append(" / ").append(pe[1]).append(" | | |\n");

            long big = Long.getLong("berth.bench.bytes", 100_000_000L);
            String floor = wsbenchLocal("pty-burst", ptyScript(big), String.valueOf(big))[0];
            report.append("| floor: bare local PTY, same producer, ").append(big / 1_000_000).append(" MB, no server | ")
                    .append(floor).append(" MB/s | | |\n");
            // warm, as the echo: the output paths of one reader and of many are compiled before they are measured, as
            // in a server in use (in profiles of a fresh JVM's bursts, the C2 compiler had a quarter of both cores).
            // Berth gets WARM_ROUNDS rounds of bursts first, Docker one; its daemon is compiled ahead of time.
            String[] warm = warmUp(big, true);
            report.append("| warm-up, not measured below: ").append(WARM_ROUNDS).append(" rounds of a burst to 1 reader and one to 50; ")
                    .append("median MB/s per reader in each round, 1 reader / 50 readers (Docker: one round) | ").append(warm[0])
                    .append(" | ").append(warm[1]).append(" | |\n");
            report.append("| (the throughput rows below: after that warm-up, then ").append(awaitJitQuiet()).append(") | | | |\n");
            // a reference, not a ceiling (wsbench pty-fanout): one C thread reads the same PTY and sends each read, or
            // batches of up to 32 KiB of what is ready, to n loopback TCP readers; no framing, no state, no monitor hop.
            // It reads the PTY and sends in turn; Berth's monitor and JVM do that in parallel on the two cores.
            for (int n : new int[]{1, 10, 50}) {
                long bytes = burstBytes(n, big);
                String each = wsbenchLocal("pty-fanout", ptyScript(bytes), String.valueOf(bytes), String.valueOf(n), "0")[0];
                String batched = wsbenchLocal("pty-fanout", ptyScript(bytes), String.valueOf(bytes), String.valueOf(n), "32")[0];
                report.append("| reference: one C thread relaying the PTY to ").append(n).append(" TCP reader(s), ")
                        .append(bytes / 1_000_000).append(" MB, every read sent / batches of 32 KiB, median MB/s per reader | ").append(each).append(" / ")
                        .append(batched).append(" | | |\n");
            }
            int[] readerCounts = {1, 10, 50};
            double[][] medians = new double[readerCounts.length][]; // {Berth, Docker} median MB/s per reader, by count
            for (int i = 0; i < readerCounts.length; i++) {
                int n = readerCounts[i];
                long bytes = burstBytes(n, big);
                String[] bres = burstFigures(berthTarget(berthTerminal(burstScript(bytes))), n, 0, bytes, 120);
                String[] dres = burstFigures(dockerTarget(dockerContainer(burstScript(bytes))), n, 0, bytes, 120);
                medians[i] = new double[]{Double.parseDouble(bres[0]), Double.parseDouble(dres[0])};
                report.append("| ").append(n).append(" client(s), ").append(bytes / 1_000_000).append(" MB | ").append(describe(bres, 120))
                        .append(" | ").append(describe(dres, 120)).append(" | |\n");
            }
            // coloured output to one reader (the OSC 52 filter and the VT emulator see two ESCs in each line); Berth's
            // coloured path gets one unmeasured burst first
            long coloured = burstBytes(1, big);
            burst(berthTarget(berthTerminal(colouredBurstScript(coloured))), 1, 0, coloured, 120);
            report.append("| 1 client, coloured lines, ").append(coloured / 1_000_000).append(" MB | ")
                    .append(burst(berthTarget(berthTerminal(colouredBurstScript(coloured))), 1, 0, coloured, 120)).append(" | ")
                    .append(burst(dockerTarget(dockerContainer(colouredBurstScript(coloured))), 1, 0, coloured, 120)).append(" | |\n");
            // one stalled reader among 10
            long bytes = burstBytes(10, big);
            String bt = berthTerminal(burstScript(bytes));
            String bres = burst(berthTarget(bt), 10, 1, bytes, 60);
            TerminalHub hub = registry.find(bt).orElseThrow();
            long maxQueued = hub.clients().stream().mapToLong(TerminalClient::queuedBytes).max().orElse(0);
            long resyncs = hub.clients().stream().mapToLong(TerminalClient::resyncs).sum();
            String dres = burst(dockerTarget(dockerContainer(burstScript(bytes))), 10, 1, bytes, 60);
            report.append("| 10 readers + 1 stalled, ").append(bytes / 1_000_000).append(" MB | ").append(bres)
                    .append("; stalled one dropped to resync ").append(resyncs).append("x, largest queue ").append(maxQueued / 1024)
                    .append(" KiB | ").append(dres).append(" | |\n");
            double stalledChange = stalledPairs(bytes, 6);
            report.append(targets(bw, dw, new double[]{Double.parseDouble(pe[0]), Double.parseDouble(pe[1])},
                    Double.parseDouble(floor), medians[0], medians[2], stalledChange));
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

    /**
     * Whether a stalled reader costs the others anything, measured so the VM's drift cannot pass for it: bursts to 10
     * readers alone and to 10 readers plus one that never reads, {@code pairs} of each in a row, in the order A B B A
     * A B ... (on 2026-12-04 the single stalled row came out 30% below the 10-reader row of the same run in one run
     * and 11% above it in the one before, both rows minutes apart; and with A B A B ... the second of each pair came
     * out lower in three full runs in a row, -16 to -22%, where a series with the stalled burst first in each pair
     * gave +7%). Appends the report row (each burst's median MB/s per reader, in pairs, and the median of each kind)
     * and returns the change of the medians in percent.
     */
    private double stalledPairs(long bytes, int pairs) throws Exception {
        double[] alone = new double[pairs], withStalled = new double[pairs];
        for (int i = 0; i < pairs; i++) { // A B B A A B ...: a drift during the series falls on both kinds alike
            if (i % 2 == 1) withStalled[i] = tenReaders(bytes, 1);
            alone[i] = tenReaders(bytes, 0);
            if (i % 2 == 0) withStalled[i] = tenReaders(bytes, 1);
        }
        double a = median(alone), w = median(withStalled);
        report.append(String.format(Locale.ROOT, "| 10 readers alone and with a stalled 11th, in pairs (A B B A ...), %d of each, %d MB, median MB/s per reader | "
                        + "alone %s, median **%.1f**; with the stalled one %s, median **%.1f** (%+.1f%%) | | |%n",
                pairs, bytes / 1_000_000, join(alone), a, join(withStalled), w, 100 * (w - a) / a));
        return 100 * (w - a) / a;
    }

    /** One burst to 10 readers (plus {@code stalled} that never read) on a fresh terminal: median MB/s per reader. */
    private double tenReaders(long bytes, int stalled) throws Exception {
        return Double.parseDouble(burstFigures(berthTarget(berthTerminal(burstScript(bytes))), 10, stalled, bytes, 60)[0]);
    }

    /*
     * The figures issue 6 gave with its targets, measured on this machine when it was filed: a bare local PTY (echo
     * p50 / p99 in µs, MB/s) and Docker's attach WebSocket (echo, one reader, each of 50 readers).
     */
    private static final double FILED_FLOOR_P50 = 42, FILED_FLOOR_P99 = 90, FILED_FLOOR_MBPS = 121;
    private static final double FILED_DOCKER_P50 = 190, FILED_DOCKER_P99 = 344, FILED_DOCKER_ONE = 58, FILED_DOCKER_FIFTY = 24;

    /**
     * The targets of issue 6 against this run, each also as a ratio to this run's bare PTY and to this run's Docker
     * next to the same ratio of the target to the figures the issue was filed with: this VM's speed moves from run to
     * run (in quiet phases over 2026-12-03/04 the bare PTY gave 86-150 MB/s and Docker's one reader 20-29, against 58
     * when the issue was filed), so a run is judged against its own floor and its own Docker as well as against the
     * absolute figure.
     */
    private static String targets(double[] echo, double[] dockerEcho, double[] floorEcho, double floorMbps, double[] one, double[] fifty,
                                  double stalledChange) {
        StringBuilder b = new StringBuilder("\n| target (issue 6) | this run | met | Berth / bare PTY: this run (target at filing) | "
                + "Berth / Docker: this run (target at filing) |\n|---|---|---|---|---|\n");
        targetRow(b, "warm echo p50 ≤ 150 µs", echo[0], echo[0] <= 150, "%.0f µs", echo[0] / floorEcho[0], 150 / FILED_FLOOR_P50,
                echo[0] / dockerEcho[0], 150 / FILED_DOCKER_P50);
        targetRow(b, "warm echo p99 ≤ 300 µs", echo[1], echo[1] <= 300, "%.0f µs", echo[1] / floorEcho[1], 300 / FILED_FLOOR_P99,
                echo[1] / dockerEcho[1], 300 / FILED_DOCKER_P99);
        targetRow(b, "one reader ≥ 100 MB/s", one[0], one[0] >= 100, "%.1f MB/s", one[0] / floorMbps, 100 / FILED_FLOOR_MBPS,
                one[0] / one[1], 100 / FILED_DOCKER_ONE);
        targetRow(b, "50 readers ≥ 40 MB/s each", fifty[0], fifty[0] >= 40, "%.1f MB/s", fifty[0] / floorMbps, 40 / FILED_FLOOR_MBPS,
                fifty[0] / fifty[1], 40 / FILED_DOCKER_FIFTY);
        b.append(String.format(Locale.ROOT, "| a stalled reader costs the others nothing measurable | %+.1f%% (medians of the pairs above) | %s | | "
                + "Docker: every reader freezes |%n", stalledChange, Math.abs(stalledChange) <= 10
                ? "**yes**" : "not shown by this run: single pairs move by up to ±20% on this VM, see the pairs"));
        b.append("\n(For echo a lower ratio is better, for throughput a higher one. A run meets a target by ratio when its ratio is at or "
                + "better than the target's.)\n");
        return b.toString();
    }

    private static void targetRow(StringBuilder b, String target, double value, boolean met, String fmt, double toFloor,
                                  double targetToFloor, double toDocker, double targetToDocker) {
        b.append("| ").append(target).append(" | ").append(String.format(Locale.ROOT, fmt, value)).append(" | ")
                .append(met ? "**yes**" : "no")
                .append(String.format(Locale.ROOT, " | %.2f (%.2f) | %.2f (%.2f) |%n", toFloor, targetToFloor, toDocker, targetToDocker));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) b.append(b.length() > 0 ? " / " : "").append(String.format(Locale.ROOT, "%.1f", d));
        return b.toString();
    }

    /** Bytes of a burst to that many readers: {@code big} to one, a fifth of it to more. */
    private static long burstBytes(int readers, long big) {
        return readers == 1 ? big : big / 5;
    }

    /**
     * Rounds of unmeasured bursts before the throughput rows. One round (as until 2026-12-03) left Berth's figures
     * climbing: with bursts repeated in one JVM, one reader went from 48-71 MB/s in the first round to mostly 75-95
     * from the fourth, as the JIT compiled paths taken once per chunk (a few thousand calls per burst, under C2's
     * threshold after one round) and recompiled what class loading invalidated. A server in use for a while is past
     * that.
     */
    private static final int WARM_ROUNDS = Integer.getInteger("berth.bench.warm-rounds", 5);

    /**
     * {@link #WARM_ROUNDS} rounds of bursts to 1 and to 50 readers, so both paths are compiled; Docker's daemon is
     * compiled ahead of time and gets one round when asked. Returns, for the report, the median MB/s of each round,
     * Berth's and Docker's.
     */
    private String[] warmUp(long big, boolean docker) throws Exception {
        StringBuilder berth = new StringBuilder(), dock = new StringBuilder();
        for (int round = 1; round <= WARM_ROUNDS; round++) {
            for (int n : new int[]{1, 50}) {
                long bytes = burstBytes(n, big);
                berth.append(n == 1 ? (round > 1 ? ", " : "") : " / ")
                        .append(burstFigures(berthTarget(berthTerminal(burstScript(bytes))), n, 0, bytes, 120)[0]);
                if (docker && round == 1) {
                    dock.append(n == 1 ? "" : " / ")
                            .append(burstFigures(dockerTarget(dockerContainer(burstScript(bytes))), n, 0, bytes, 120)[0]);
                }
            }
        }
        return new String[]{berth.toString(), dock.toString()};
    }

    /**
     * Waits (at most 90 s) until the JIT has been idle for 2 s: right after a start its compiler threads work through
     * a backlog for a minute or more and take one of the 2 cores, which a server that has been up for a while does
     * not see. Returns what it waited, for the report.
     */
    private static String awaitJitQuiet() throws InterruptedException {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(90)) {
            Thread.sleep(2000);
            long now = jit.getTotalCompilationTime();
            if (now - last < 20) {
                return String.format(Locale.ROOT, "the JIT idle (waited %.0f s)", (System.nanoTime() - start) / 1e9);
            }
            last = now;
        }
        return "the JIT still compiling after 90 s";
    }

    private void row(String what, double berth, double docker, String fmt) {
        report.append("| ").append(what).append(" | ").append(String.format(Locale.ROOT, fmt, berth)).append(" | ")
                .append(String.format(Locale.ROOT, fmt, docker)).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", docker / berth)).append(" |\n");
    }
}
