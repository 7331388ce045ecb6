package dev.berth.engine.container;

import java.time.Instant;
import java.util.List;

/**
 * The immutable part of a container, saved as {@code config.json}: the request as given, the image it was
 * created from, and what was resolved from both (command, environment, mounts). Only the name changes
 * (rename), by writing a new record.
 */
public record ContainerConfig(
        String id,
        String name,
        Instant created,
        ContainerSpec spec,
        String imageId,
        String imageRef,
        List<String> args,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        List<MountPoint> mounts) {

    public ContainerConfig withName(String newName) {
        return new ContainerConfig(id, newName, created, spec, imageId, imageRef, args, env, workingDir, user, hostname, mounts);
    }

    public String path() {
        return args.isEmpty() ? "" : args.get(0);
    }

    public List<String> argsAfterPath() {
        return args.size() <= 1 ? List.of() : args.subList(1, args.size());
    }
}
