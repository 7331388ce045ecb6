package dev.berth.engine.event;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened in the engine, shaped like Docker's events: {@code type} (container, volume, ...),
 * {@code action} (create, start, die, stop, kill, pause, unpause, restart, oom, destroy, rename, ...), the
 * id of the thing it happened to, attributes (name, image, exitCode, signal), and the time.
 */
public record EngineEvent(String type, String action, String id, Map<String, String> attributes, Instant time) {
    public EngineEvent {
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
