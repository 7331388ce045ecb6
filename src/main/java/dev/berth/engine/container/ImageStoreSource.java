package dev.berth.engine.container;

import java.util.Optional;
import java.util.TreeSet;

import dev.berth.engine.EngineException;
import dev.berth.engine.image.ImageConfig;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.LocalImage;

/** {@link ImageSource} over the engine's {@link ImageStore}: local images only, never a registry. */
public final class ImageStoreSource implements ImageSource {
    private final ImageStore store;

    public ImageStoreSource(ImageStore store) {
        this.store = store;
    }

    /** The store this source reads (for adapters and tests that need to add images). */
    public ImageStore store() {
        return store;
    }

    @Override
    public Optional<SourceImage> resolve(String reference) {
        LocalImage image;
        try {
            image = store.resolve(reference);
        } catch (EngineException e) {
            if (e.reason() == EngineException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        ImageConfig c = image.config();
        return Optional.of(new SourceImage(image.id(), image.reference(), c.env(), c.entrypoint(), c.cmd(), c.workingDir(),
                c.user(), new TreeSet<>(c.exposedPorts()), new TreeSet<>(c.volumes()), c.labels(), c.stopSignal(),
                image.layerDirs()));
    }
}
