package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads and writes a container's cgroup files (v1 or v2) for stats, top and the freezer. */
final class CgroupFiles {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100

    private final MonitorState state;

    CgroupFiles(MonitorState state) {
        this.state = state;
    }

    private boolean v2() {
        return state.cgroupVersion() == 2;
    }

    void freeze(boolean frozen) {
        Path dir = state.cgroupWith(v2() ? "cgroup.freeze" : "freezer.state").orElseThrow(() ->
                new EngineException(EngineException.Reason.INTERNAL, "no_freezer",
                        "pause needs the freezer cgroup controller, which this host does not offer"));
        try {
            if (v2()) {
                Files.writeString(dir.resolve("cgroup.freeze"), frozen ? "1" : "0");
            } else {
                Files.writeString(dir.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
            }
            for (int i = 0; i < 500 && paused() != frozen; i++) {
                Thread.sleep(2);
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INTERNAL, "freezer_failed",
                    "cannot " + (frozen ? "pause" : "unpause") + " (" + dir + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean paused() {
        if (v2()) {
            return state.cgroupWith("cgroup.events").map(d -> keyed(d.resolve("cgroup.events"), "frozen") == 1).orElse(false);
        }
        return state.cgroupWith("freezer.state").map(d -> read(d.resolve("freezer.state")).trim().equals("FROZEN")).orElse(false);
    }

    ResourceStats stats() {
        Instant now = Instant.now();
        long cpu, mem, limit, pids, rd = 0, wr = 0;
        long hostMem = hostMemory();
        if (v2()) {
            Path d = state.cgroups().get(0);
            cpu = keyed(d.resolve("cpu.stat"), "usage_usec") * 1000;
            mem = Math.max(0, number(d.resolve("memory.current")) - keyed(d.resolve("memory.stat"), "inactive_file"));
            String max = read(d.resolve("memory.max")).trim();
            limit = max.equals("max") || max.isEmpty() ? hostMem : Long.parseLong(max);
            pids = number(d.resolve("pids.current"));
            for (String line : read(d.resolve("io.stat")).split("\n")) {
                for (String f : line.split(" ")) {
                    if (f.startsWith("rbytes=")) rd += Long.parseLong(f.substring(7));
                    if (f.startsWith("wbytes=")) wr += Long.parseLong(f.substring(7));
                }
            }
        } else {
            cpu = state.cgroupWith("cpuacct.usage").map(d -> number(d.resolve("cpuacct.usage"))).orElse(0L);
            Optional<Path> m = state.cgroupWith("memory.usage_in_bytes");
            mem = m.map(d -> Math.max(0, number(d.resolve("memory.usage_in_bytes"))
                    - keyed(d.resolve("memory.stat"), "total_inactive_file"))).orElse(0L);
            limit = m.map(d -> number(d.resolve("memory.limit_in_bytes"))).filter(l -> l > 0 && l < hostMem).orElse(hostMem);
            pids = state.cgroupWith("pids.current").map(d -> number(d.resolve("pids.current"))).orElse(0L);
            Optional<Path> b = state.cgroupWith("blkio.throttle.io_service_bytes");
            if (b.isPresent()) {
                for (String line : read(b.get().resolve("blkio.throttle.io_service_bytes")).split("\n")) {
                    String[] f = line.split(" ");
                    if (f.length == 3 && f[1].equals("Read")) rd += Long.parseLong(f[2]);
                    if (f.length == 3 && f[1].equals("Write")) wr += Long.parseLong(f[2]);
                }
            }
        }
        long[] net = netDev(state.pid());
        return new ResourceStats(now, cpu, systemCpu(), Runtime.getRuntime().availableProcessors(), mem, limit, pids,
                net[0], net[1], rd, wr);
    }

    List<ProcessInfo> top() {
        Path procs = state.cgroupWith("pids.current").or(() -> state.cgroups().stream().findFirst())
                .map(d -> d.resolve("cgroup.procs")).orElseThrow();
        List<ProcessInfo> out = new ArrayList<>();
        for (String line : read(procs).split("\n")) {
            if (line.isBlank()) continue;
            long pid = Long.parseLong(line.trim());
            processInfo(pid).ifPresent(out::add);
        }
        return out;
    }

    static Optional<ProcessInfo> processInfo(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        String stat = read(dir.resolve("stat"));
        if (stat.isEmpty()) return Optional.empty();
        int close = stat.lastIndexOf(')');
        String comm = stat.substring(stat.indexOf('(') + 1, close);
        String[] f = stat.substring(close + 2).split(" ");
        long ppid = Long.parseLong(f[1]);
        long cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        long rss = Long.parseLong(f[21]) * 4096;
        int uid = (int) keyedWords(dir.resolve("status"), "Uid:");
        String cmdline = read(dir.resolve("cmdline")).replace('\0', ' ').trim();
        return Optional.of(new ProcessInfo(pid, ppid, uid, f[0], cpu, rss, cmdline.isEmpty() ? "[" + comm + "]" : cmdline));
    }

    private static long[] netDev(long pid) {
        long rx = 0, tx = 0;
        for (String line : read(Path.of("/proc", Long.toString(pid), "net", "dev")).split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.substring(0, colon).trim().equals("lo")) continue;
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length >= 9) {
                rx += Long.parseLong(f[0]);
                tx += Long.parseLong(f[8]);
            }
        }
        return new long[] {rx, tx};
    }

    private static long systemCpu() {
        String first = read(Path.of("/proc/stat")).lines().findFirst().orElse("");
        long ticks = 0;
        String[] f = first.trim().split("\\s+");
        for (int i = 1; i < f.length && i <= 8; i++) ticks += Long.parseLong(f[i]);
        return ticks * NANOS_PER_TICK;
    }

    private static long hostMemory() {
        return keyedWords(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "";
        }
    }

    private static long number(Path p) {
        String s = read(p).trim();
        return s.isEmpty() || s.equals("max") ? 0 : Long.parseLong(s);
    }

    private static long keyed(Path p, String key) {
        for (String line : read(p).split("\n")) {
            if (line.startsWith(key + " ")) return Long.parseLong(line.substring(key.length() + 1).trim());
        }
        return 0;
    }

    private static long keyedWords(Path p, String key) {
        for (String line : read(p).split("\n")) {
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
        return 0;
    }
}
