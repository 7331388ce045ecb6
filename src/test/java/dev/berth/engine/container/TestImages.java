package dev.berth.engine.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link ImageSource} over plain directories the test lays out (e.g. a busybox rootfs as a one-layer image). */
final class TestImages implements ImageSource {
    private final Map<String, SourceImage> images = new ConcurrentHashMap<>();

    TestImages add(String reference, List<Path> layers, List<String> cmd, Set<String> volumes) {
        String id = "sha256:" + ContainerId.generate();
        SourceImage image = new SourceImage(id, reference, List.of("PATH=/bin", "FROM_IMAGE=yes"), List.of(), cmd, "", "",
                Set.of(), volumes, Map.of(), "", layers);
        images.put(reference, image);
        images.put(id, image);
        return this;
    }

    @Override
    public Optional<SourceImage> resolve(String reference) {
        return Optional.ofNullable(images.get(reference));
    }
}
