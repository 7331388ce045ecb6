package dev.berth.ownership;

import java.util.Map;

/**
 * An engine object as the ownership checks see it.
 *
 * @param kind     container, volume or network
 * @param id       the engine id (the name for volumes)
 * @param name     the human name
 * @param labels   its engine labels (a workspace's containers carry {@code dev.berth.workspace}, for example)
 * @param owner    the owning user, null for objects created before ownership or by the system
 * @param hostWide objects everyone signed in may READ (the built-in networks)
 */
public record OwnedResource(ResourceKind kind, String id, String name, Map<String, String> labels, String owner,
        boolean hostWide) {

    public OwnedResource {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** An object whose owner is its {@link Owners#LABEL} label. */
    public static OwnedResource labelled(ResourceKind kind, String id, String name, Map<String, String> labels) {
        return new OwnedResource(kind, id, name, labels, Owners.of(labels), false);
    }
}
