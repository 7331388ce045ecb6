package dev.berth.engine.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link NetworkService#prepare}: files the container layer bind-mounts (container path to
 * host path: {@code /etc/hosts}, {@code /etc/resolv.conf}, {@code /etc/hostname}), the bound ports, the
 * addresses, and the hook the runtime calls between creating the namespaces and exec'ing the user process.
 */
public record PreparedNetwork(Map<String, Path> files, List<PortBinding> ports, List<Endpoint> endpoints,
        BeforeExecHook hook) {

    /** Called with the host pid of the container's init, whose network namespace is then configured. */
    @FunctionalInterface
    public interface BeforeExecHook {
        void beforeExec(long hostPid);
    }
}
