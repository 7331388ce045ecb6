package dev.berth.engine.runtime.bench;

import dev.berth.engine.runtime.ContainerRuntime;
import dev.berth.engine.runtime.ExitStatus;
import dev.berth.engine.runtime.LogConfig;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark harness for bench/runtime/run.sh (not a test). Modes:
 * <ul>
 *   <li>{@code rootfs <dir>}: lays out the busybox rootfs the script also imports into Docker/Podman;</li>
 *   <li>{@code start <rootfs> <work> <runs>}: API call to exit of {@code true}, no network; prints ms per run;</li>
 *   <li>{@code idle <rootfs> <work> <count>}: starts count idle containers, prints monitor RSS, the time one more
 *       {@code true} takes meanwhile, then stops them.</li>
 * </ul>
 */
public final class RuntimeBench {
    private RuntimeBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "rootfs" -> TestRootfs.busybox(Path.of(args[1]));
            case "start" -> start(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            case "idle" -> idle(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("mode: rootfs | start | idle");
        }
    }

    private static RuntimeSpec spec(Path rootfs, Path work, String id, String... cmd) throws Exception {
        return builder(rootfs, work, id).args(cmd).build();
    }

    /** A container's spec on the shared rootfs with its own state, upper and work directories under work/id. */
    private static RuntimeSpec.Builder builder(Path rootfs, Path work, String id) throws Exception {
        Path c = Files.createDirectories(work.resolve(id));
        return RuntimeSpec.builder(id, Files.createDirectories(c.resolve("s")))
                .rootfs(List.of(rootfs), Files.createDirectories(c.resolve("u")), Files.createDirectories(c.resolve("w")));
    }

    private static long[] start(Path rootfs, Path work, int runs) throws Exception {
        ContainerRuntime rt = new NativeRuntime(MonitorBinary.fromBuildDir());
        int warmup = 5;
        long[] ms = new long[runs];
        for (int i = -warmup; i < runs; i++) {
            RuntimeSpec s = spec(rootfs, work, "bench" + (i + warmup), "/bin/true");
            long t0 = System.nanoTime();
            RunningProcess p = rt.start(s);
            ExitStatus e = p.exit().get(30, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            if (e.code() != 0) throw new IllegalStateException("true exited " + e.code());
            if (i >= 0) ms[i] = t1 - t0;
        }
        long[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf("berth start->exit true: runs=%d median=%.2f ms p10=%.2f p90=%.2f min=%.2f%n", runs,
                sorted[runs / 2] / 1e6, sorted[runs / 10] / 1e6, sorted[runs * 9 / 10] / 1e6, sorted[0] / 1e6);
        return sorted;
    }

    private static void idle(Path rootfs, Path work, int count) throws Exception {
        ContainerRuntime rt = new NativeRuntime(MonitorBinary.fromBuildDir());
        List<RunningProcess> idle = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                // with an output log and a line in it, as every container the engine creates has (since 2026-12-04:
                // the monitor's log writer thread and its pages are part of what an idle monitor holds)
                idle.add(rt.start(builder(rootfs, work, "idle" + i).args("/bin/sh", "-c", "echo ready; exec /bin/sleep 100000")
                        .log(new LogConfig(work.resolve("idle" + i).resolve("log"), LogConfig.DEFAULT_MAX_BYTES,
                                LogConfig.DEFAULT_MAX_FILES))
                        .build()));
            }
            long t1 = System.nanoTime();
            Thread.sleep(1000);
            long[] rss = idle.stream().mapToLong(p -> rssKb(p.monitorPid())).sorted().toArray();
            long sum = Arrays.stream(rss).sum();
            System.out.printf("berth idle: %d containers started in %.1f s; monitor RSS median=%d KiB max=%d KiB total=%.1f MiB%n",
                    count, (t1 - t0) / 1e9, rss[rss.length / 2], rss[rss.length - 1], sum / 1024.0);
            List<Long> extra = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                long a = System.nanoTime();
                rt.start(spec(rootfs, work, "extra" + i, "/bin/true")).exit().get(30, TimeUnit.SECONDS);
                extra.add(System.nanoTime() - a);
            }
            extra.sort(null);
            System.out.printf("berth with %d idle: start->exit true median=%.2f ms%n", count, extra.get(extra.size() / 2) / 1e6);
        } finally {
            for (RunningProcess p : idle) p.kill(9);
            for (RunningProcess p : idle) p.exit().get(30, TimeUnit.SECONDS);
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
