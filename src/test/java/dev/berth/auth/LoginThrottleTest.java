package dev.berth.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void allowsSomeFailuresThenLocksWithGrowingDelays() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 1; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            throttle.failed("alice", "10.0.0.1");
            assertThat(throttle.retryAfter("alice", "10.0.0.1")).isZero();
        }
        throttle.failed("alice", "10.0.0.1");
        Duration first = throttle.retryAfter("alice", "10.0.0.9");
        assertThat(first).isPositive();
        clock.now = clock.now.plus(first);
        assertThat(throttle.retryAfter("alice", "10.0.0.9")).isZero();
        throttle.failed("alice", "10.0.0.9");
        assertThat(throttle.retryAfter("alice", null)).isGreaterThan(first);
    }

    @Test
    void locksAnAddressThatTriesManyUsernames() {
        LoginThrottle throttle = new LoginThrottle(new MovableClock());
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS_PER_ADDRESS; i++) {
            throttle.failed("user" + i, "10.0.0.2");
        }
        assertThat(throttle.retryAfter("someone-else", "10.0.0.2")).isPositive();
        assertThat(throttle.retryAfter("someone-else", "10.0.0.3")).isZero();
    }

    @Test
    void successForgivesTheUsername() {
        LoginThrottle throttle = new LoginThrottle(new MovableClock());
        for (int i = 0; i < LoginThrottle.FREE_ATTEMPTS; i++) {
            throttle.failed("bob", null);
        }
        assertThat(throttle.retryAfter("bob", null)).isPositive();
        throttle.succeeded("bob");
        assertThat(throttle.retryAfter("bob", null)).isZero();
    }

    @Test
    void lockNeverExceedsTheMaximum() {
        MovableClock clock = new MovableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 60; i++) {
            throttle.failed("carol", null);
        }
        assertThat(throttle.retryAfter("carol", null)).isLessThanOrEqualTo(LoginThrottle.MAX_LOCK);
    }
}
