package dev.berth.engine.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link NetworkService#prepare}: files the container layer bind-mounts (container path to
 * host path: {@code /etc/hosts}, {@code /etc/resolv.conf}, {@code /etc/hostname}), the bound ports, the
 * addresses, the veths the runtime's monitor should create itself (values of its spec key {@code veth}, see
 * engine-native/PROTOCOL.md; empty when none), and the hook the runtime calls between creating the namespaces
 * and exec'ing the user process.
 */
public record PreparedNetwork(Map<String, Path> files, List<PortBinding> ports, List<Endpoint> endpoints,
        List<String> veths, BeforeExecHook hook) {

    public PreparedNetwork {
        veths = veths == null ? List.of() : List.copyOf(veths);
    }

    /** Called with the host pid of the container's init, whose network namespace is then configured. */
    @FunctionalInterface
    public interface BeforeExecHook {
        /** The namespace has no interfaces yet: the hook creates them (with {@code ip}). */
        void beforeExec(long hostPid);

        /**
         * The runtime was asked to create {@link PreparedNetwork#veths()}: {@code monitorNetwork} is "ok" when it
         * did, "error <message>" when it could not (the hook falls back to {@code ip}), null when it was not asked.
         */
        default void beforeExec(long hostPid, String monitorNetwork) {
            beforeExec(hostPid);
        }
    }
}
