package dev.berth.engine.runtime;

import java.io.Closeable;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a monitor's output log (binary records, see engine-native/PROTOCOL.md) across its rotated files.
 */
public final class LogReader {
    private final LogConfig config;

    public LogReader(LogConfig config) {
        this.config = config;
    }

    /** The lines matching {@code query}, oldest first. */
    public List<LogRecord> read(LogQuery query) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    /**
     * Delivers the lines matching {@code query}, then every new line as the monitor appends it (surviving
     * rotation), until the returned handle is closed.
     */
    public Closeable follow(LogQuery query, Consumer<LogRecord> sink) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    public LogConfig config() {
        return config;
    }
}
