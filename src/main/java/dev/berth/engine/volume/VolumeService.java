package dev.berth.engine.volume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.JsonFiles;
import dev.berth.engine.container.SpecValidator;
import dev.berth.engine.container.Trees;
import dev.berth.engine.event.EngineEvent;
import dev.berth.engine.event.EngineEvents;

/** Local named volumes under {@code <root>/volumes/<name>/}: {@code volume.json} and the data in {@code _data}. */
public final class VolumeService {
    private final Path volumes;
    private final EngineEvents events;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile Function<String, List<String>> usage = name -> List.of();

    public VolumeService(Path engineRoot, EngineEvents events) {
        this.volumes = engineRoot.resolve("volumes");
        this.events = events;
        try {
            Files.createDirectories(volumes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + volumes + ": " + e.getMessage(), e);
        }
    }

    /** Tells the service which containers use a volume (ids), so it can refuse removing a volume in use. */
    public void usage(Function<String, List<String>> containersUsing) {
        this.usage = containersUsing;
    }

    public Volume create(String name, Map<String, String> labels) {
        if (name == null || name.isBlank()) {
            return createVolume(ContainerId.generate(), labels, true);
        }
        if (!SpecValidator.VOLUME_NAME.matcher(name).matches()) {
            throw new SpecValidator.InvalidField("name", "The volume name '" + name + "' is invalid: use at least two characters "
                    + "from [a-zA-Z0-9_.-], starting with a letter or digit.");
        }
        return createVolume(name, labels, false);
    }

    /** Creates an anonymous volume (64-hex name), as for an image's VOLUME. */
    public Volume createAnonymous() {
        return createVolume(ContainerId.generate(), Map.of(), true);
    }

    /** The named volume, created when missing (Docker creates volumes named in a container's mounts on demand). */
    public Volume getOrCreate(String name) {
        return find(name).orElseGet(() -> create(name, Map.of()));
    }

    private Volume createVolume(String name, Map<String, String> labels, boolean anonymous) {
        synchronized (lock(name)) {
            Optional<Volume> existing = find(name);
            if (existing.isPresent()) {
                return existing.get(); // Docker: creating an existing volume answers the existing one
            }
            Path dir = volumes.resolve(name);
            try {
                Files.createDirectories(dir.resolve("_data"));
            } catch (IOException e) {
                throw new EngineException(EngineException.Reason.INTERNAL, "volume_create_failed",
                        "Could not create volume '" + name + "' in " + dir + ": " + e.getMessage(), e);
            }
            Volume v = new Volume(name, "local", dir.resolve("_data").toString(), Instant.now(), labels, anonymous);
            JsonFiles.write(dir.resolve("volume.json"), v);
            events.publish(new EngineEvent("volume", "create", name, Map.of("driver", "local"), Instant.now()));
            return v;
        }
    }

    public Optional<Volume> find(String name) {
        if (name == null || name.contains("/") || name.startsWith(".")) {
            return Optional.empty();
        }
        Path meta = volumes.resolve(name).resolve("volume.json");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        return Optional.of(JsonFiles.read(meta, Volume.class));
    }

    public Volume inspect(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    public Path dataDir(String name) {
        return volumes.resolve(inspect(name).name()).resolve("_data");
    }

    public List<Volume> list() {
        List<Volume> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(volumes)) {
            dirs.forEach(d -> find(d.getFileName().toString()).ifPresent(result::add));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + volumes + ": " + e.getMessage(), e);
        }
        result.sort(Comparator.comparing(Volume::name));
        return result;
    }

    public List<String> usedBy(String name) {
        return usage.apply(name);
    }

    /** Removes a volume; refused while a container uses it unless {@code force}. */
    public void remove(String name, boolean force) {
        synchronized (lock(name)) {
            Volume v = inspect(name);
            List<String> users = usage.apply(name);
            if (!users.isEmpty() && !force) {
                throw new EngineException(EngineException.Reason.CONFLICT, "volume_in_use",
                        "Volume '" + name + "' is in use by container(s) " + String.join(", ",
                                users.stream().map(ContainerId::shortId).toList())
                                + "; remove those containers first, or remove the volume with force.");
            }
            Trees.deleteRecursively(volumes.resolve(v.name()));
            events.publish(new EngineEvent("volume", "destroy", name, Map.of(), Instant.now()));
        }
        locks.remove(name);
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private static EngineException notFound(String name) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "volume_not_found",
                "No such volume: '" + name + "'. List volumes with GET /api/volumes or create it first.");
    }
}
