package dev.berth.engine.container;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.berth.engine.EngineException;
import dev.berth.engine.runtime.ContainerRuntime;
import dev.berth.engine.runtime.Limits;
import dev.berth.engine.runtime.LogConfig;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.LogRecord;
import dev.berth.engine.runtime.Mount;
import dev.berth.engine.runtime.NetworkMode;
import dev.berth.engine.runtime.ProcessInfo;
import dev.berth.engine.runtime.ResourceStats;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.runtime.StreamKind;

/** {@link ProcessRuntime} over the native monitors of {@code dev.berth.engine.runtime}. */
public final class NativeProcessRuntime implements ProcessRuntime {
    /** How long a follow keeps reading after the container exited, to deliver its last lines. */
    private static final long DRAIN_MILLIS = 300;
    private final ContainerRuntime runtime;

    public NativeProcessRuntime(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public ContainerProcess start(LaunchRequest r) {
        List<Path> topFirst = new ArrayList<>(r.layers());
        Collections.reverse(topFirst);
        Limits limits;
        try {
            limits = new Limits(r.limits().memory(), r.limits().nanoCpus(), Math.max(0, r.limits().pidsLimit()));
        } catch (IllegalArgumentException e) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_limits", e.getMessage());
        }
        RuntimeSpec spec = RuntimeSpec.builder(r.containerId(), r.runtimeDir())
                .rootfs(topFirst, r.upperDir(), r.workDir())
                .hostname(r.hostname())
                .args(r.args())
                .env(r.env())
                .cwd(r.workingDir())
                .user(r.user())
                .tty(r.tty())
                .openStdin(r.openStdin())
                .limits(limits)
                .mounts(r.mounts().stream().map(m -> new Mount(m.source(), m.target(), m.readOnly())).toList())
                .network(network(r.network()))
                .beforeExec(r.beforeExec() == null ? null : hook(r.beforeExec()))
                .build();
        return new NativeContainerProcess(runtime.start(spec));
    }

    private static dev.berth.engine.runtime.BeforeExec hook(ContainerNetworking.BeforeExec h) {
        return new dev.berth.engine.runtime.BeforeExec() {
            @Override
            public void run(long pid) throws Exception {
                h.run(pid);
            }

            @Override
            public void run(long pid, String monitorNetwork) throws Exception {
                h.run(pid, monitorNetwork);
            }
        };
    }

    static NetworkMode network(ContainerNetworking.Namespace ns) {
        if (ns == null) {
            return NetworkMode.newNamespace();
        }
        return switch (ns.kind()) {
            case NONE -> NetworkMode.none();
            case HOST -> NetworkMode.host();
            case JOIN -> NetworkMode.join(ns.join());
            case NEW -> NetworkMode.newNamespace(ns.veths());
        };
    }

    @Override
    public Optional<ContainerProcess> adopt(Path runtimeDir) {
        return runtime.adopt(runtimeDir).map(NativeContainerProcess::new);
    }

    @Override
    public Optional<ExitStatus> recordedExit(Path runtimeDir) {
        return runtime.lastExit(runtimeDir).map(NativeProcessRuntime::exit);
    }

    static ExitStatus exit(dev.berth.engine.runtime.ExitStatus s) {
        return new ExitStatus(s.code(), s.oomKilled(), s.finishedAt());
    }

    @Override
    public void readLogs(Path runtimeDir, LogQuery q, LogSink sink) {
        LogReader reader = new LogReader(LogConfig.in(runtimeDir));
        dev.berth.engine.runtime.LogQuery query = new dev.berth.engine.runtime.LogQuery(q.tail(), q.since(), q.until(),
                q.stdout(), q.stderr());
        if (!q.follow()) {
            for (LogRecord r : reader.read(query)) {
                if (!sink.accept(entry(r))) {
                    return;
                }
            }
            return;
        }
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Optional<RunningProcess> running = runtime.adopt(runtimeDir);
        try (Closeable handle = reader.follow(query, r -> {
            if (!stop.isDone() && !sink.accept(entry(r))) {
                stop.complete(null);
            }
        })) {
            if (running.isEmpty()) {
                waitQuietly(stop, DRAIN_MILLIS);
                return;
            }
            CompletableFuture.anyOf(stop, running.get().exit()).get();
            if (!stop.isDone()) {
                waitQuietly(stop, DRAIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException e) {
            // the follow ends with the container or the reader
        }
    }

    private static void waitQuietly(CompletableFuture<Void> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // done waiting
        }
    }

    private static LogEntry entry(LogRecord r) {
        return new LogEntry(r.time(), r.stream() == StreamKind.STDERR ? LogEntry.Stream.STDERR : LogEntry.Stream.STDOUT, r.bytes());
    }

    @Override
    public void cleanup(Path runtimeDir) {
        Trees.deleteRecursively(runtimeDir);
    }

    /** A native monitor's process seen as a {@link ContainerProcess}; {@link #running()} gives attach and exec access. */
    public static final class NativeContainerProcess implements ContainerProcess {
        private final RunningProcess process;
        private final CompletableFuture<ExitStatus> exit;

        NativeContainerProcess(RunningProcess process) {
            this.process = process;
            this.exit = process.exit().thenApply(NativeProcessRuntime::exit);
        }

        public RunningProcess running() {
            return process;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public CompletableFuture<ExitStatus> exit() {
            return exit;
        }

        @Override
        public void kill(int signal) {
            process.kill(signal);
        }

        @Override
        public void pause() {
            process.pause();
        }

        @Override
        public void resume() {
            process.resume();
        }

        @Override
        public ProcessStats stats() {
            ResourceStats s = process.stats();
            return new ProcessStats(s.read(), s.cpuUsageNanos(), s.systemCpuNanos(), s.onlineCpus(), s.memoryUsage(),
                    s.memoryLimit(), s.pids(), s.netRxBytes(), s.netTxBytes(), s.blkReadBytes(), s.blkWriteBytes());
        }

        @Override
        public TopResult top(List<String> psArgs) {
            List<List<String>> rows = new ArrayList<>();
            for (ProcessInfo p : process.top()) {
                long secs = p.cpuNanos() / 1_000_000_000L;
                rows.add(List.of(Integer.toString(p.uid()), Long.toString(p.pid()), Long.toString(p.ppid()), p.state(),
                        String.format("%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60),
                        Long.toString(p.rssBytes() / 1024), p.command()));
            }
            return new TopResult(List.of("UID", "PID", "PPID", "STAT", "TIME", "RSS", "CMD"), rows);
        }

        @Override
        public <T> Optional<T> unwrap(Class<T> type) {
            return type.isInstance(process) ? Optional.of(type.cast(process)) : Optional.empty();
        }
    }
}
