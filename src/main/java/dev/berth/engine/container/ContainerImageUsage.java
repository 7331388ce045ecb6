package dev.berth.engine.container;

import java.util.List;
import java.util.function.Supplier;

import dev.berth.engine.image.ImageUsage;

/**
 * Tells the image store which containers use an image, so an image in use cannot be removed. Takes a supplier
 * because the container service itself needs the image store: wire the store first, then the service.
 */
public final class ContainerImageUsage implements ImageUsage {
    private final Supplier<ContainerService> containers;

    public ContainerImageUsage(Supplier<ContainerService> containers) {
        this.containers = containers;
    }

    @Override
    public List<String> containersUsing(String imageId) {
        ContainerService service = containers.get();
        return service == null ? List.of() : service.containersUsingImage(imageId);
    }
}
