package dev.berth.engine.container;

import java.util.Optional;

/**
 * Where containers get their images from: the engine's image store in production (through an adapter), a
 * plain directory in tests. Kept this small on purpose: a container needs an id, defaults and layers.
 */
public interface ImageSource {
    /** The local image a reference names, or empty when there is none. */
    Optional<SourceImage> resolve(String reference);
}
