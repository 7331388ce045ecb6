package dev.berth.engine.container;

import java.time.Instant;

/**
 * One raw resource sample of a container: cumulative CPU time of the container and of the whole host (both
 * in nanoseconds), online CPUs, memory usage and limit in bytes, process count, network and block I/O bytes.
 */
public record ProcessStats(
        Instant read,
        long cpuTotalNanos,
        long systemCpuNanos,
        int onlineCpus,
        long memoryUsage,
        long memoryLimit,
        long pids,
        long netRxBytes,
        long netTxBytes,
        long blockReadBytes,
        long blockWriteBytes) {
}
