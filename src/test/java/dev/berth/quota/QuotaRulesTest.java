package dev.berth.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The quota arithmetic without a server: defaults, boundaries and the wording of values. */
class QuotaRulesTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void unsetLimitsTakeTheMaximaAndSetOnesStay() {
        QuotaLimits q = new QuotaLimits(null, 64 * MIB, 500_000_000L, null, null, null, null);
        assertThat(QuotaRules.withDefaults(q, new QuotaRules.ContainerLimits(0, 0, 0)))
                .isEqualTo(new QuotaRules.ContainerLimits(64 * MIB, 500_000_000L, 0));
        assertThat(QuotaRules.withDefaults(q, new QuotaRules.ContainerLimits(32 * MIB, 0, 10)))
                .isEqualTo(new QuotaRules.ContainerLimits(32 * MIB, 500_000_000L, 10));
    }

    @Test
    void limitsAreInclusive() {
        QuotaLimits q = new QuotaLimits(2, null, null, null, 100L, null, null);
        // exactly at the limit passes
        QuotaRules.checkStart(q, new QuotaUsage(1, 60, 0, 0), new QuotaRules.ContainerLimits(40, 0, 0));
        assertThatThrownBy(() -> QuotaRules.checkStart(q, new QuotaUsage(1, 61, 0, 0), new QuotaRules.ContainerLimits(40, 0, 0)))
                .isInstanceOfSatisfying(QuotaExceeded.class, e -> assertThat(e.limit()).isEqualTo("totalMemoryBytes"));
        assertThatThrownBy(() -> QuotaRules.checkStart(q, new QuotaUsage(2, 0, 0, 0), new QuotaRules.ContainerLimits(1, 0, 0)))
                .isInstanceOfSatisfying(QuotaExceeded.class, e -> assertThat(e.getMessage())
                        .startsWith("Quota maxRunning is 2 running containers; you already run 2."));
    }

    @Test
    void aTotalRefusesAContainerWithoutThatLimit() {
        QuotaLimits q = new QuotaLimits(null, null, null, null, null, 2_000_000_000L, null);
        assertThatThrownBy(() -> QuotaRules.checkStart(q, new QuotaUsage(0, 0, 0, 0), new QuotaRules.ContainerLimits(0, 0, 0)))
                .isInstanceOfSatisfying(QuotaExceeded.class, e -> assertThat(e.getMessage()).isEqualTo("Quota totalNanoCpus is 2 CPUs "
                        + "(2000000000 nanoCpus) over your running containers; this container has no nanoCpus limit, so it could take it "
                        + "all. Recreate it with a nanoCpus limit, or ask an administrator to raise your quota."));
    }

    @Test
    void volumesOverTheLimitStopStartsAndAtTheLimitStopNewVolumes() {
        QuotaLimits q = new QuotaLimits(null, null, null, null, null, null, 1000L);
        QuotaRules.checkStart(q, new QuotaUsage(0, 0, 0, 1000), new QuotaRules.ContainerLimits(0, 0, 0));
        assertThatThrownBy(() -> QuotaRules.checkStart(q, new QuotaUsage(0, 0, 0, 1001), new QuotaRules.ContainerLimits(0, 0, 0)))
                .isInstanceOf(QuotaExceeded.class);
        QuotaRules.checkNewVolume(q, 999);
        assertThatThrownBy(() -> QuotaRules.checkNewVolume(q, 1000)).isInstanceOf(QuotaExceeded.class);
    }

    @Test
    void valuesAreWordedForPeople() {
        assertThat(QuotaRules.bytes(512)).isEqualTo("512 bytes");
        assertThat(QuotaRules.bytes(1536 * MIB)).isEqualTo("1.5 GiB (1610612736 bytes)");
        assertThat(QuotaRules.cpus(1_000_000_000L)).isEqualTo("1 CPU (1000000000 nanoCpus)");
        assertThat(QuotaRules.cpus(250_000_000L)).isEqualTo("0.25 CPUs (250000000 nanoCpus)");
    }
}
