package dev.berth.engine.container;

/**
 * A published port, kept as data for the networking part of the engine: container port and protocol
 * ({@code tcp}/{@code udp}), host address (empty = all) and host port (0 = any free one).
 */
public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
    public PortBinding {
        protocol = protocol == null || protocol.isBlank() ? "tcp" : protocol;
        hostIp = hostIp == null ? "" : hostIp;
    }
}
