package dev.berth.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads the host's available memory ({@code MemAvailable} in /proc/meminfo, in bytes). */
public final class HostMemory {
    private final Path meminfo;

    public HostMemory(Path meminfo) {
        this.meminfo = meminfo;
    }

    public static HostMemory system() {
        return new HostMemory(Path.of("/proc/meminfo"));
    }

    /** MemAvailable in bytes; empty when the file can't be read or lacks the line. */
    public OptionalLong available() {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
