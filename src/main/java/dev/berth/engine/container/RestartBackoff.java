package dev.berth.engine.container;

import java.time.Duration;

/**
 * Docker's restart back-off: the first restart waits 100 ms, each following one twice as long (capped at one
 * minute); a container that stayed up for 10 s or more starts again from 100 ms.
 */
public final class RestartBackoff {
    static final Duration INITIAL = Duration.ofMillis(100);
    static final Duration MAXIMUM = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private RestartBackoff() {
    }

    /**
     * The delay before the next restart.
     *
     * @param previous the delay used before the last restart, or null/zero for none
     * @param upFor    how long the container ran before this exit
     */
    public static Duration next(Duration previous, Duration upFor) {
        if (previous == null || previous.isZero() || upFor.compareTo(RESET_AFTER) >= 0) {
            return INITIAL;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAXIMUM) > 0 ? MAXIMUM : doubled;
    }
}
