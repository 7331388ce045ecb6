package dev.berth.engine.volume;

import java.time.Instant;
import java.util.Map;

/**
 * A named volume, Docker's inspect shape: name, driver (always {@code local}), host mountpoint
 * ({@code <root>/volumes/<name>/_data}), creation time, labels, and whether it is anonymous (created for
 * an image VOLUME or an unnamed mount, removed with its container).
 */
public record Volume(String name, String driver, String mountpoint, Instant createdAt, Map<String, String> labels,
        boolean anonymous) {
    public Volume {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
