package dev.berth.engine.container;

/**
 * Resource limits as Docker's HostConfig names them: {@code memory} in bytes (0 = none), {@code nanoCpus} in
 * billionths of a CPU (0 = none), {@code pidsLimit} (0 or negative = none).
 */
public record ResourceLimits(long memory, long nanoCpus, long pidsLimit) {
    public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0);
    /** Docker refuses memory limits under 6 MiB; so does Berth (the runtime itself needs room). */
    public static final long MINIMUM_MEMORY = 6L * 1024 * 1024;
}
