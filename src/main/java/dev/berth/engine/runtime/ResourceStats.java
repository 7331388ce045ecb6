package dev.berth.engine.runtime;

import java.time.Instant;

/**
 * One resource sample of a container's cgroup. Compute CPU % from two samples:
 * {@code (dCpu / dSystem) * onlineCpus * 100} like Docker.
 *
 * @param read            when it was sampled
 * @param cpuUsageNanos   total CPU time of the cgroup
 * @param systemCpuNanos  host CPU time (sum of /proc/stat's first line, in ns) at the same moment
 * @param onlineCpus      CPUs of the host
 * @param memoryUsage     memory usage in bytes (without page cache, like Docker: usage - inactive_file)
 * @param memoryLimit     the cgroup's limit, or the host's memory when unlimited
 * @param pids            tasks in the cgroup
 * @param netRxBytes      bytes received on all non-loopback interfaces of the container's netns
 * @param netTxBytes      bytes sent on the same
 * @param blkReadBytes    block I/O read
 * @param blkWriteBytes   block I/O written
 */
public record ResourceStats(Instant read, long cpuUsageNanos, long systemCpuNanos, int onlineCpus, long memoryUsage,
                            long memoryLimit, long pids, long netRxBytes, long netTxBytes, long blkReadBytes,
                            long blkWriteBytes) {
}
