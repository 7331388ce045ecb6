package dev.berth.engine.container;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** One chunk of container output (usually a line) with the time the monitor received it. */
public record LogEntry(Instant time, Stream stream, byte[] data) {
    public enum Stream { STDOUT, STDERR }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
