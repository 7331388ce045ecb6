package dev.berth.engine.container;

import java.time.Instant;

/**
 * Which log lines to read: streams, lines since a time (inclusive), the last {@code tail} lines (negative for
 * all), and whether to keep following new output.
 */
public record LogQuery(boolean stdout, boolean stderr, Instant since, Instant until, int tail, boolean follow) {
    public static LogQuery all() {
        return new LogQuery(true, true, null, null, -1, false);
    }

    public boolean wants(LogEntry.Stream stream) {
        return stream == LogEntry.Stream.STDOUT ? stdout : stderr;
    }

    public boolean inRange(Instant time) {
        return (since == null || !time.isBefore(since)) && (until == null || !time.isAfter(until));
    }
}
