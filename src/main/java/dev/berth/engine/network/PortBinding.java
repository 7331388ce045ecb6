package dev.berth.engine.network;

/**
 * One published port, as Docker's {@code HostConfig.PortBindings} entry: traffic to {@code hostIp:hostPort}
 * reaches {@code containerPort} inside the container. {@code hostPort == 0} before allocation means "choose a
 * free port"; after {@link NetworkService#prepare} every binding carries the host port actually held.
 */
public record PortBinding(String hostIp, int hostPort, int containerPort, Protocol protocol) {

    /** "0.0.0.0:8080->80/tcp", the form {@code docker ps} shows. */
    @Override
    public String toString() {
        return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol.lower();
    }

    public PortBinding withHostPort(int port) {
        return new PortBinding(hostIp, port, containerPort, protocol);
    }

    public boolean anyAddress() {
        return "0.0.0.0".equals(hostIp);
    }

    /** Whether two bindings would claim the same host socket (a wildcard address overlaps every address). */
    public boolean clashesWith(PortBinding other) {
        return hostPort == other.hostPort && protocol == other.protocol
                && (anyAddress() || other.anyAddress() || hostIp.equals(other.hostIp));
    }
}
