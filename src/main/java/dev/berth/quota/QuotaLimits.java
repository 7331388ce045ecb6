package dev.berth.quota;

/**
 * Limits of one quota; null means "not limited". Per container: {@code maxMemoryBytes}, {@code maxNanoCpus},
 * {@code maxPids} (a container created without a limit gets the maximum as its limit). In total over a user's
 * running containers: {@code maxRunning}, {@code totalMemoryBytes}, {@code totalNanoCpus}. Over a user's volumes:
 * {@code maxVolumeBytes} (disk used).
 */
public record QuotaLimits(Integer maxRunning, Long maxMemoryBytes, Long maxNanoCpus, Long maxPids, Long totalMemoryBytes,
        Long totalNanoCpus, Long maxVolumeBytes) {

    public static final QuotaLimits NONE = new QuotaLimits(null, null, null, null, null, null, null);

    public boolean unlimited() {
        return equals(NONE);
    }
}
