package dev.berth.engine.image;

import java.util.List;

/**
 * Tells the image store which containers use an image, so that {@link ImageStore#remove} can refuse to remove
 * an image that a container still needs. The containers part of the engine provides the real implementation;
 * {@link #NONE} says no container uses anything.
 */
@FunctionalInterface
public interface ImageUsage {

    /** Ids (or names) of containers created from the image with this id ({@code sha256:...}); empty if none. */
    List<String> containersUsing(String imageId);

    ImageUsage NONE = imageId -> List.of();
}
