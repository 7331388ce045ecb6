package dev.berth.engine.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container takes from an image: its id, the defaults of its config, and its unpacked layer
 * directories ordered from the lowest (base) layer to the topmost.
 */
public record SourceImage(
        String id,
        String reference,
        List<String> env,
        List<String> entrypoint,
        List<String> cmd,
        String workingDir,
        String user,
        Set<String> exposedPorts,
        Set<String> volumes,
        Map<String, String> labels,
        String stopSignal,
        List<Path> layers) {

    public SourceImage {
        env = env == null ? List.of() : List.copyOf(env);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        workingDir = workingDir == null ? "" : workingDir;
        user = user == null ? "" : user;
        exposedPorts = exposedPorts == null ? Set.of() : Set.copyOf(exposedPorts);
        volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        layers = List.copyOf(layers);
    }
}
