package dev.berth.engine.container;

/**
 * A mount as the container has it, Docker's inspect "Mounts" shape: {@code type} volume or bind, volume
 * {@code name} (null for binds), host {@code source}, {@code destination} inside, writable or not, and
 * whether it is an anonymous volume removed together with the container.
 */
public record MountPoint(String type, String name, String source, String destination, boolean rw, boolean anonymous) {
}
