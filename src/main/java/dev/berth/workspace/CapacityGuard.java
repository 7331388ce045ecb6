package dev.berth.workspace;

import java.util.OptionalLong;

/**
 * Refuses a new workspace when the host is full: more than {@code maxActive} workspaces (0: no limit), or less
 * than {@code minFreeMemoryBytes} of memory left after the new workspace's memory limit. Limits may be changed
 * at run time by an admin (not persisted: the configuration gives them back at restart).
 */
public final class CapacityGuard {
    private final HostMemory memory;
    private volatile int maxActive;
    private volatile long minFreeMemoryBytes;

    public CapacityGuard(HostMemory memory, int maxActive, long minFreeMemoryBytes) {
        this.memory = memory;
        this.maxActive = maxActive;
        this.minFreeMemoryBytes = minFreeMemoryBytes;
    }

    /** The host can't take another workspace; the message says which limit and what to do. */
    public static final class HostFull extends RuntimeException {
        private final String limit;

        HostFull(String limit, String message) {
            super(message);
            this.limit = limit;
        }

        public String limit() {
            return limit;
        }
    }

    /** The state of the host as the guard sees it. */
    public record Capacity(int active, int maxActive, Long memoryAvailableBytes, long minFreeMemoryBytes) {
    }

    public Capacity capacity(int active) {
        OptionalLong available = memory.available();
        return new Capacity(active, maxActive, available.isPresent() ? available.getAsLong() : null, minFreeMemoryBytes);
    }

    public void setLimits(int maxActive, long minFreeMemoryBytes) {
        if (maxActive < 0) throw new IllegalArgumentException("maxActive must be 0 (no limit) or more, not " + maxActive);
        if (minFreeMemoryBytes < 0) throw new IllegalArgumentException("minFreeMemoryBytes must be 0 or more, not " + minFreeMemoryBytes);
        this.maxActive = maxActive;
        this.minFreeMemoryBytes = minFreeMemoryBytes;
    }

    /**
     * @param active         workspaces that exist now
     * @param memoryNeeded   the memory limit of the new workspace's containers (0: none given)
     * @throws HostFull      when one of the limits would be crossed
     */
    public void check(int active, long memoryNeeded) {
        int max = maxActive;
        if (max > 0 && active >= max) {
            throw new HostFull("maxActive", "This host is full: " + active + " of " + max
                    + " workspaces are in use (berth.workspace.max-active). Try again when a workspace ends, "
                    + "or ask an administrator to raise the limit or end idle workspaces.");
        }
        long minFree = minFreeMemoryBytes;
        OptionalLong available = memory.available();
        if (minFree > 0 && available.isPresent() && available.getAsLong() - memoryNeeded < minFree) {
            throw new HostFull("minFreeMemory", "This host is full: " + mib(available.getAsLong())
                    + " of memory is available" + (memoryNeeded > 0 ? ", the workspace asks for " + mib(memoryNeeded) : "")
                    + " and Berth keeps " + mib(minFree) + " free (berth.workspace.min-free-memory). Try again when "
                    + "a workspace ends, or ask an administrator to end idle workspaces or add memory.");
        }
    }

    private static String mib(long bytes) {
        return (bytes / (1024 * 1024)) + " MiB";
    }
}
