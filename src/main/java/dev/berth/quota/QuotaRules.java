package dev.berth.quota;

import java.util.Locale;

/**
 * The quota arithmetic, free of I/O: what a container gets by default, and whether creating or starting it stays
 * within a user's limits. Every refusal names the limit, its value and what was asked or used, then what to do.
 */
public final class QuotaRules {
    private static final String RAISE = "or ask an administrator to raise your quota";

    private QuotaRules() {
    }

    /** Per-container limits after defaults: an unset limit takes the quota's per-container maximum. */
    public record ContainerLimits(long memoryBytes, long nanoCpus, long pids) {
    }

    public static ContainerLimits withDefaults(QuotaLimits q, ContainerLimits asked) {
        return new ContainerLimits(
                asked.memoryBytes() == 0 && q.maxMemoryBytes() != null ? q.maxMemoryBytes() : asked.memoryBytes(),
                asked.nanoCpus() == 0 && q.maxNanoCpus() != null ? q.maxNanoCpus() : asked.nanoCpus(),
                asked.pids() == 0 && q.maxPids() != null ? q.maxPids() : asked.pids());
    }

    /** Per-container maxima (at create and again at start, in case the quota changed since). */
    public static void checkContainer(QuotaLimits q, ContainerLimits c) {
        perContainer("maxMemoryBytes", q.maxMemoryBytes(), c.memoryBytes(), "memory", QuotaRules::bytes);
        perContainer("maxNanoCpus", q.maxNanoCpus(), c.nanoCpus(), "nanoCpus", QuotaRules::cpus);
        perContainer("maxPids", q.maxPids(), c.pids(), "pidsLimit", n -> n + " processes");
    }

    private static void perContainer(String limit, Long max, long asked, String field, java.util.function.LongFunction<String> unit) {
        if (max == null) {
            return;
        }
        if (asked == 0) {
            throw new QuotaExceeded(limit, "Quota " + limit + " is " + unit.apply(max) + " per container; this container has no "
                    + field + " limit. Recreate it with " + field + " of at most " + max + ", " + RAISE + ".");
        }
        if (asked > max) {
            throw new QuotaExceeded(limit, "Quota " + limit + " is " + unit.apply(max) + " per container; you asked for "
                    + unit.apply(asked) + ". Ask for " + field + " of at most " + max + ", " + RAISE + ".");
        }
    }

    /** Starting one more container with limits {@code c} while {@code usage} is running. */
    public static void checkStart(QuotaLimits q, QuotaUsage usage, ContainerLimits c) {
        checkContainer(q, c);
        if (q.maxRunning() != null && usage.running() + 1 > q.maxRunning()) {
            throw new QuotaExceeded("maxRunning", "Quota maxRunning is " + q.maxRunning() + " running container"
                    + (q.maxRunning() == 1 ? "" : "s") + "; you already run "
                    + usage.running() + ". Stop one of your containers first, " + RAISE + ".");
        }
        total("totalMemoryBytes", q.totalMemoryBytes(), usage.memoryBytes(), c.memoryBytes(), "memory", QuotaRules::bytes);
        total("totalNanoCpus", q.totalNanoCpus(), usage.nanoCpus(), c.nanoCpus(), "nanoCpus", QuotaRules::cpus);
        if (q.maxVolumeBytes() != null && usage.volumeBytes() > q.maxVolumeBytes()) {
            throw volumes(q, usage.volumeBytes());
        }
    }

    private static void total(String limit, Long max, long used, long asked, String field, java.util.function.LongFunction<String> unit) {
        if (max == null) {
            return;
        }
        if (asked == 0) {
            throw new QuotaExceeded(limit, "Quota " + limit + " is " + unit.apply(max) + " over your running containers; this "
                    + "container has no " + field + " limit, so it could take it all. Recreate it with a " + field + " limit, " + RAISE + ".");
        }
        if (used + asked > max) {
            throw new QuotaExceeded(limit, "Quota " + limit + " is " + unit.apply(max) + " over your running containers; they "
                    + "already have " + unit.apply(used) + " and this one asks " + unit.apply(asked) + ". Stop a container first, "
                    + RAISE + ".");
        }
    }

    /**
     * A new volume: refused once the disk the user's volumes use has reached the limit (disk use is measured, not
     * capped: a running container can write past it, and then no container of the user starts until it is below).
     */
    public static void checkNewVolume(QuotaLimits q, long used) {
        if (q.maxVolumeBytes() != null && used >= q.maxVolumeBytes()) {
            throw volumes(q, used);
        }
    }

    private static QuotaExceeded volumes(QuotaLimits q, long used) {
        return new QuotaExceeded("maxVolumeBytes", "Quota maxVolumeBytes is " + bytes(q.maxVolumeBytes())
                + " over your volumes; they use " + bytes(used) + ". Delete data or volumes first, " + RAISE + ".");
    }

    /** {@code 268435456} → {@code 256 MiB (268435456 bytes)}. */
    public static String bytes(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        String unit = null;
        for (String u : units) {
            if (v < 1024) {
                break;
            }
            v /= 1024;
            unit = u;
        }
        if (unit == null) {
            return n + " bytes";
        }
        String shown = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return shown + " " + unit + " (" + n + " bytes)";
    }

    /** {@code 500000000} → {@code 0.5 CPUs (500000000 nanoCpus)}. */
    public static String cpus(long nanoCpus) {
        double v = nanoCpus / 1e9;
        String shown = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
        return shown + (v == 1 ? " CPU" : " CPUs") + " (" + nanoCpus + " nanoCpus)";
    }
}
