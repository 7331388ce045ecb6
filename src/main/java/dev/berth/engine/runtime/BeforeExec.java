package dev.berth.engine.runtime;

/**
 * Runs after the container's namespaces and rootfs exist and before the user's process execs. The monitor waits
 * for it: returning normally lets the process start, throwing aborts the start (the container is torn down and
 * {@link ContainerRuntime#start} throws with this exception as the cause).
 *
 * <p>The networking layer uses it to move a veth into {@code /proc/<hostPid>/ns/net} and to write
 * {@code /proc/<hostPid>/root/etc/hosts}.
 */
@FunctionalInterface
public interface BeforeExec {
    /** @param hostPidOfInit the container's init process as seen from the host */
    void run(long hostPidOfInit) throws Exception;

    /**
     * The form the runtime calls. {@code monitorNetwork} is null when the spec asked the monitor for no veth
     * ({@link NetworkMode.New#veths()} empty), {@code "ok"} when the monitor created and configured them, or
     * {@code "error <message>"} when it could not (the hook may then fall back to doing it itself).
     */
    default void run(long hostPidOfInit, String monitorNetwork) throws Exception {
        run(hostPidOfInit);
    }
}
