package dev.berth.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Slows down password guessing. After {@value #FREE_ATTEMPTS} failures for one username, or
 * {@value #FREE_ATTEMPTS_PER_ADDRESS} from one client address, within the window, further attempts are refused for an exponentially growing time (2 s, 4 s, ... up to 15 min).
 * A success clears the username's record. State is in memory: a restart forgives, which is acceptable for a
 * single-process console and keeps the login path free of database writes.
 */
@ApplicationScoped
public class LoginThrottle {
    static final int FREE_ATTEMPTS = 5;
    /** A whole classroom may share one NAT address: an address gets more failures than a username. */
    static final int FREE_ATTEMPTS_PER_ADDRESS = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_LOCK = Duration.ofMinutes(15);

    private final Map<String, Failures> byKey = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    private static final class Failures {
        int count;
        Instant first;
        Instant lockedUntil = Instant.EPOCH;
    }

    /** How long the caller must wait before trying again, or {@link Duration#ZERO}. */
    public Duration retryAfter(String username, String address) {
        Instant now = clock.instant();
        Duration a = remaining(key("u", username), now);
        Duration b = address == null ? Duration.ZERO : remaining(key("a", address), now);
        return a.compareTo(b) >= 0 ? a : b;
    }

    public void failed(String username, String address) {
        record(key("u", username), FREE_ATTEMPTS);
        if (address != null) {
            record(key("a", address), FREE_ATTEMPTS_PER_ADDRESS);
        }
    }

    public void succeeded(String username) {
        byKey.remove(key("u", username));
    }

    private Duration remaining(String key, Instant now) {
        Failures f = byKey.get(key);
        if (f == null) {
            return Duration.ZERO;
        }
        synchronized (f) {
            return f.lockedUntil.isAfter(now) ? Duration.between(now, f.lockedUntil) : Duration.ZERO;
        }
    }

    private void record(String key, int freeAttempts) {
        Instant now = clock.instant();
        Failures f = byKey.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            if (f.first == null || f.first.plus(WINDOW).isBefore(now)) {
                f.first = now;
                f.count = 0;
            }
            f.count++;
            if (f.count >= freeAttempts) {
                long seconds = 1L << Math.min(f.count - freeAttempts + 1, 20);
                Duration lock = Duration.ofSeconds(Math.min(seconds, MAX_LOCK.toSeconds()));
                f.lockedUntil = now.plus(lock);
            }
        }
        if (byKey.size() > 100_000) {
            byKey.entrySet().removeIf(e -> e.getValue().first != null && e.getValue().first.plus(WINDOW).isBefore(now));
        }
    }

    private static String key(String kind, String value) {
        return kind + ":" + (value == null ? "" : value.toLowerCase(java.util.Locale.ROOT));
    }
}
