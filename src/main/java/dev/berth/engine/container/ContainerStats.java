package dev.berth.engine.container;

import java.time.Instant;

/**
 * Resource usage of a container with the CPU percentage computed between two samples as Docker does
 * ({@code (cpuDelta / systemDelta) * onlineCpus * 100}); the raw samples are kept for Docker-shaped output.
 */
public record ContainerStats(String id, String name, Instant read, double cpuPercent, long memoryUsage, long memoryLimit,
        double memoryPercent, long pids, long netRxBytes, long netTxBytes, long blockReadBytes, long blockWriteBytes,
        ProcessStats sample, ProcessStats previous) {

    static ContainerStats between(String id, String name, ProcessStats previous, ProcessStats now) {
        double cpu = 0;
        if (previous != null) {
            long cpuDelta = now.cpuTotalNanos() - previous.cpuTotalNanos();
            long systemDelta = now.systemCpuNanos() - previous.systemCpuNanos();
            if (cpuDelta > 0 && systemDelta > 0) {
                cpu = (double) cpuDelta / systemDelta * Math.max(1, now.onlineCpus()) * 100.0;
            }
        }
        double mem = now.memoryLimit() > 0 ? (double) now.memoryUsage() / now.memoryLimit() * 100.0 : 0;
        return new ContainerStats(id, name, now.read(), cpu, now.memoryUsage(), now.memoryLimit(), mem, now.pids(),
                now.netRxBytes(), now.netTxBytes(), now.blockReadBytes(), now.blockWriteBytes(), now, previous);
    }
}
