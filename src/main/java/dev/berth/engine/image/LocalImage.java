package dev.berth.engine.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An image present in the local content store, ready to be used as a container's root file system.
 *
 * @param id        the image id: the digest of its config blob, {@code sha256:<64 hex>} (as Docker's)
 * @param reference the normalised reference it was resolved from ({@code docker.io/library/busybox:latest}),
 *                  or the id itself when resolved by id
 * @param config    run-time defaults (env, entrypoint, cmd, working dir, user, ports, volumes, labels)
 * @param layerDirs unpacked layer directories, BASE LAYER FIRST (index 0 is the bottom layer, the last entry
 *                  is the top layer). They are read-only and shared between images: never write into them.
 *                  Whiteouts are overlayfs char devices 0/0 and opaque dirs carry {@code trusted.overlay.opaque=y}.
 */
public record LocalImage(String id, String reference, ImageConfig config, List<Path> layerDirs) {

    /**
     * The value for overlayfs's {@code lowerdir=} option: the layer directories TOP LAYER FIRST, joined by ':'
     * (overlayfs lists the uppermost lower layer first).
     */
    public String overlayLowerDirs() {
        List<Path> topFirst = new ArrayList<>(layerDirs);
        Collections.reverse(topFirst);
        return topFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
    }
}
