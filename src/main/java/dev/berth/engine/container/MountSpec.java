package dev.berth.engine.container;

/**
 * A mount requested for a container. {@code type} is {@code volume} (named when {@code source} is set,
 * anonymous otherwise) or {@code bind} (a host path; a privilege the console reserves for administrators).
 */
public record MountSpec(String type, String source, String target, boolean readOnly) {
    public static final String VOLUME = "volume";
    public static final String BIND = "bind";

    public static MountSpec volume(String name, String target) {
        return new MountSpec(VOLUME, name, target, false);
    }

    public static MountSpec bind(String hostPath, String target, boolean readOnly) {
        return new MountSpec(BIND, hostPath, target, readOnly);
    }

    public boolean isBind() {
        return BIND.equals(type);
    }

    public boolean isAnonymousVolume() {
        return VOLUME.equals(type) && (source == null || source.isBlank());
    }
}
