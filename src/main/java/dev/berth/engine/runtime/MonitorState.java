package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The monitor's {@code state} file: who is running, where its socket is, which cgroup dirs it uses.
 *
 * @param cgroupVersion 1 or 2
 * @param cgroups       the process' cgroup dirs (one per v1 hierarchy, one on v2)
 */
record MonitorState(long monitorPid, long pid, boolean tty, Path socket, int cgroupVersion, List<Path> cgroups) {

    static Optional<MonitorState> read(Path stateDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(stateDir.resolve(Monitors.STATE_FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + stateDir.resolve(Monitors.STATE_FILE), e);
        }
        long monitor = 0, pid = 0;
        boolean tty = false;
        Path socket = stateDir.resolve(Monitors.SOCKET_FILE);
        int version = 1;
        List<Path> cgroups = new ArrayList<>();
        for (String line : lines) {
            int sp = line.indexOf(' ');
            if (sp < 0) continue;
            String k = line.substring(0, sp), v = line.substring(sp + 1);
            switch (k) {
                case "monitor" -> monitor = Long.parseLong(v);
                case "pid" -> pid = Long.parseLong(v);
                case "tty" -> tty = v.equals("1");
                case "socket" -> socket = Path.of(v);
                case "cgroup.version" -> version = Integer.parseInt(v);
                case "cgroup" -> cgroups.add(Path.of(v));
                default -> { }
            }
        }
        return Optional.of(new MonitorState(monitor, pid, tty, socket, version, List.copyOf(cgroups)));
    }

    /** The cgroup dir whose name contains the controller's files, e.g. "memory.stat"; v2 has one for all. */
    Optional<Path> cgroupWith(String file) {
        for (Path p : cgroups) {
            if (Files.exists(p.resolve(file))) return Optional.of(p);
        }
        return Optional.empty();
    }
}
