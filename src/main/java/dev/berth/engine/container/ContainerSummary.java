package dev.berth.engine.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One row of a container list, as Docker's list answers it (names without the leading slash). */
public record ContainerSummary(String id, String name, String image, String imageId, String command, Instant created,
        String state, String status, Map<String, String> labels, List<PortBinding> ports, List<MountPoint> mounts) {
}
