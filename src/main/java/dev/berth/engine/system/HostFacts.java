package dev.berth.engine.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host the engine runs on that matter to an admin: kernel and cgroup layout. */
public final class HostFacts {
    private final Path cgroupMount;
    private final Path procVersion;

    public HostFacts() {
        this(Path.of("/sys/fs/cgroup"), Path.of("/proc/sys/kernel/osrelease"));
    }

    HostFacts(Path cgroupMount, Path kernelRelease) {
        this.cgroupMount = cgroupMount;
        this.procVersion = kernelRelease;
    }

    /**
     * {@code v2} (unified hierarchy), {@code v1 (hybrid: v2 at <dir>)} when a v1 host also mounts the unified
     * hierarchy, or {@code v1}; {@code none} when no cgroup file system is mounted there.
     */
    public String cgroupVersion() {
        if (Files.isRegularFile(cgroupMount.resolve("cgroup.controllers"))) {
            return "v2";
        }
        Path unified = cgroupMount.resolve("unified");
        if (Files.isRegularFile(unified.resolve("cgroup.procs"))) {
            return "v1 (hybrid: v2 at " + unified + ")";
        }
        if (Files.isDirectory(cgroupMount.resolve("memory")) || Files.isDirectory(cgroupMount.resolve("cpu"))) {
            return "v1";
        }
        return "none";
    }

    /** The running kernel's release, e.g. {@code 6.1.0-18-amd64}. */
    public String kernel() {
        try {
            return Files.readString(procVersion).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}
