package dev.berth.engine.runtime;

import dev.berth.engine.container.Trees;
import dev.berth.engine.testing.TestRootfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Per-test helper: a busybox rootfs, fresh container dirs and ids, and cleanup of every process it started
 * (SIGKILL, then wait for the monitor to record the exit and remove the cgroup).
 */
final class RuntimeFixture implements AutoCloseable {
    private static Path sharedLower;

    final Path dir;
    final NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
    private final List<RunningProcess> started = new ArrayList<>();

    RuntimeFixture() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "brt");
    }

    static synchronized Path lower() throws IOException {
        if (sharedLower == null) {
            Path d = Files.createTempDirectory(Path.of("/tmp"), "brt-lower");
            sharedLower = TestRootfs.busybox(d.resolve("rootfs"));
            Files.createSymbolicLink(sharedLower.resolve("escape"), Path.of("../../../../../.."));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return sharedLower;
    }

    /** A spec builder for a new container with its own upper/work/state dirs. */
    RuntimeSpec.Builder container(String... args) throws IOException {
        String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Path c = Files.createDirectories(dir.resolve(id.substring(0, 8)));
        Path upper = Files.createDirectories(c.resolve("u"));
        Path work = Files.createDirectories(c.resolve("w"));
        Path state = Files.createDirectories(c.resolve("s"));
        return RuntimeSpec.builder(id, state).rootfs(List.of(lower()), upper, work).args(args);
    }

    RunningProcess start(RuntimeSpec spec) {
        RunningProcess p = runtime.start(spec);
        started.add(p);
        return p;
    }

    RunningProcess exec(RunningProcess container, ExecSpec spec) {
        RunningProcess p = runtime.exec(container, spec);
        started.add(p);
        return p;
    }

    ExecSpec execSpec(boolean tty, String... args) throws IOException {
        Path state = Files.createTempDirectory(dir, "x");
        return new ExecSpec(state, List.of(args), List.of(), "/", "", tty, true, null, null);
    }

    void track(RunningProcess p) {
        started.add(p);
    }

    /** Runs a container to completion and returns what it printed (read back from its log). */
    Result run(RuntimeSpec spec) throws Exception {
        RunningProcess p = start(spec);
        ExitStatus s = p.exit().get(60, TimeUnit.SECONDS);
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        for (LogRecord r : new LogReader(spec.log()).read(LogQuery.ALL)) {
            (r.stream() == StreamKind.STDOUT ? out : err).append(new String(r.bytes(), StandardCharsets.UTF_8));
        }
        return new Result(s, out.toString(), err.toString());
    }

    record Result(ExitStatus status, String stdout, String stderr) {
    }

    /** Collects output; lets tests wait for text. */
    static class Collector implements AttachListener {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CountDownLatch closed = new CountDownLatch(1);
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        volatile boolean live;

        @Override
        public synchronized void onOutput(StreamKind stream, byte[] bytes) {
            (stream == StreamKind.STDOUT ? out : err).write(bytes, 0, bytes.length);
            notifyAll();
        }

        @Override
        public void onLive() {
            live = true;
        }

        @Override
        public void onExit(ExitStatus status) {
            exit.complete(status);
        }

        @Override
        public synchronized void onClosed(Throwable error) {
            closed.countDown();
            notifyAll();
        }

        synchronized String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        synchronized String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        /** Waits until stdout satisfies the condition (or fails after 20 s with what was seen). */
        synchronized String await(Predicate<String> condition) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!condition.test(out())) {
                long left = end - System.nanoTime();
                if (left <= 0) throw new AssertionError("timed out waiting for output; got: " + out());
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return out();
        }
    }

    @Override
    public void close() throws Exception {
        for (RunningProcess p : started) {
            if (!p.exit().isDone()) {
                try {
                    if (p.paused()) p.resume();
                } catch (RuntimeException ignored) {
                    // best effort
                }
                p.kill(9);
            }
        }
        for (RunningProcess p : started) {
            try {
                p.exit().get(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the test itself
            }
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        // the monitor unlinks its attach.sock after it has reported the exit: the tree may change while it is walked
        try {
            Trees.deleteRecursively(root);
        } catch (UncheckedIOException ignored) {
            // best effort
        }
    }
}
