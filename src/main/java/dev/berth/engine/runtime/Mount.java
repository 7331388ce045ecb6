package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A bind mount (or a volume's directory) placed into the container. The target is resolved inside the rootfs
 * without following symlinks out of it; missing targets are created (a directory, or an empty file when the
 * source is a file).
 *
 * @param source   host path (file or directory)
 * @param target   absolute path inside the container
 * @param readOnly mount read-only
 */
public record Mount(Path source, String target, boolean readOnly) {
    public Mount {
        Objects.requireNonNull(source, "source");
        if (target == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("mount target must be an absolute path inside the container: " + target);
        }
    }
}
