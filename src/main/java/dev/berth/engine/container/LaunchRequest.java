package dev.berth.engine.container;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the runtime needs to start one container process. Layers are ordered lowest first; the
 * overlay's upper and work dirs are per container. Mount sources are host paths the engine prepared.
 */
public record LaunchRequest(
        String containerId,
        Path runtimeDir,
        List<Path> layers,
        Path upperDir,
        Path workDir,
        List<String> args,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        boolean tty,
        boolean openStdin,
        ResourceLimits limits,
        List<Bind> mounts,
        String networkMode) {

    /** A host directory or file mounted at {@code target} inside the container. */
    public record Bind(Path source, String target, boolean readOnly) {
    }
}
