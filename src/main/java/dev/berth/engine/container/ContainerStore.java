package dev.berth.engine.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Containers on disk: {@code <root>/containers/<id>/} holds {@code config.json}, {@code state.json}, the
 * overlay's {@code rootfs/upper} and {@code rootfs/work}; the monitor's state is in {@link #runtimeDir}.
 */
public final class ContainerStore {
    private static final Logger LOG = Logger.getLogger(ContainerStore.class.getName());
    private final Path containers;
    private final Path run;

    public ContainerStore(Path engineRoot) {
        this.containers = engineRoot.resolve("containers");
        this.run = engineRoot.resolve("run");
        try {
            Files.createDirectories(containers);
            Files.createDirectories(run);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + containers + ": " + e.getMessage(), e);
        }
    }

    public Path dir(String id) {
        return containers.resolve(id);
    }

    public Path upperDir(String id) {
        return dir(id).resolve("rootfs").resolve("upper");
    }

    public Path workDir(String id) {
        return dir(id).resolve("rootfs").resolve("work");
    }

    /**
     * The monitor's state directory: {@code <root>/run/<first 24 hex of the id>}, short because the monitor's
     * unix socket path must fit in 107 bytes.
     */
    public Path runtimeDir(String id) {
        return run.resolve(id.substring(0, 24));
    }

    public void create(ContainerConfig config, ContainerState state) {
        try {
            Files.createDirectories(upperDir(config.id()));
            Files.createDirectories(workDir(config.id()));
            Files.createDirectories(runtimeDir(config.id()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directories of container " + config.id() + ": " + e.getMessage(), e);
        }
        saveState(config.id(), state);
        saveConfig(config);
    }

    public void saveConfig(ContainerConfig config) {
        JsonFiles.write(dir(config.id()).resolve("config.json"), config);
    }

    /** Atomic but not fsynced: state is reconciled with the monitors (adopt / recorded exit) at every engine start. */
    public void saveState(String id, ContainerState state) {
        JsonFiles.write(dir(id).resolve("state.json"), state, false);
    }

    /** A container as stored: its config and last saved state. */
    public record Stored(ContainerConfig config, ContainerState state) {
    }

    /** Every container whose config and state can be read; unreadable ones are logged and skipped. */
    public List<Stored> loadAll() {
        List<Stored> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(containers)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path config = dir.resolve("config.json");
                Path state = dir.resolve("state.json");
                if (!Files.isRegularFile(config) || !ContainerId.isFull(dir.getFileName().toString())) {
                    continue;
                }
                try {
                    ContainerState s = Files.isRegularFile(state) ? JsonFiles.read(state, ContainerState.class) : new ContainerState();
                    result.add(new Stored(JsonFiles.read(config, ContainerConfig.class), s));
                } catch (UncheckedIOException e) {
                    LOG.log(Level.WARNING, "Skipping container directory " + dir + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + containers + ": " + e.getMessage(), e);
        }
        return result;
    }

    public void delete(String id) {
        Trees.deleteRecursively(runtimeDir(id));
        Trees.deleteRecursively(dir(id));
    }
}
