package dev.berth.engine.runtime;

/**
 * cgroup limits of a container. Zero means "no limit" for every field.
 *
 * @param memoryBytes hard memory limit (the OOM killer is on; an OOM kill is reported in {@link ExitStatus})
 * @param nanoCpus    CPU quota in units of 10^-9 CPUs (Docker's {@code NanoCpus}): 1_500_000_000 = 1.5 CPUs
 * @param pidsLimit   maximum number of tasks in the container's cgroup
 */
public record Limits(long memoryBytes, long nanoCpus, long pidsLimit) {
    public static final Limits NONE = new Limits(0, 0, 0);

    public Limits {
        if (memoryBytes < 0 || nanoCpus < 0 || pidsLimit < 0) {
            throw new IllegalArgumentException("limits must be >= 0 (0 = unlimited): " + memoryBytes + ", "
                    + nanoCpus + ", " + pidsLimit);
        }
        if (memoryBytes != 0 && memoryBytes < 6 * 1024 * 1024) {
            throw new IllegalArgumentException("memory limit " + memoryBytes
                    + " is below the minimum of 6 MiB (Docker's minimum); give at least 6291456 bytes");
        }
        if (nanoCpus != 0 && nanoCpus < 10_000_000) {
            throw new IllegalArgumentException("nanoCpus " + nanoCpus + " is below the minimum of 0.01 CPU (10000000)");
        }
    }
}
