package dev.berth.quota;

/**
 * What a user's objects take now: running (or paused) containers, the sum of their memory and CPU limits, and the
 * disk their volumes use.
 */
public record QuotaUsage(int running, long memoryBytes, long nanoCpus, long volumeBytes) {
}
