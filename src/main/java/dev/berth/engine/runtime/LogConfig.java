package dev.berth.engine.runtime;

import java.nio.file.Path;

/**
 * The container's output log (format: engine-native/PROTOCOL.md, read it with {@link LogReader}).
 *
 * @param path     the current log file; rotated files are {@code path.1} (newest) .. {@code path.(maxFiles-1)}
 * @param maxBytes rotate when the current file would exceed this size (>= 4096)
 * @param maxFiles files kept in total including the current one (>= 1)
 */
public record LogConfig(Path path, long maxBytes, int maxFiles) {
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_MAX_FILES = 3;

    public LogConfig {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("log max size must be at least 4096 bytes, got " + maxBytes);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("log max files must be at least 1, got " + maxFiles);
        }
    }

    /** {@code <stateDir>/output.log}, 10 MiB x 3 files. */
    public static LogConfig in(Path stateDir) {
        return new LogConfig(stateDir.resolve("output.log"), DEFAULT_MAX_BYTES, DEFAULT_MAX_FILES);
    }
}
