package dev.berth.engine.container;

/** Receives log entries; returns false to stop reading (for example when the HTTP client went away). */
@FunctionalInterface
public interface LogSink {
    boolean accept(LogEntry entry);
}
