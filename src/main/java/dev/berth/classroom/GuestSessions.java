package dev.berth.classroom;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Minimal guest sessions for class attendees without an account (a display name, no password). The cookie is the
 * ordinary {@code berth_session} cookie with a {@value #PREFIX} token, so CSRF protection and logout work as for
 * accounts; {@link GuestIdentityProvider} turns it into a principal {@code guest:<name>#<n>} with role
 * {@code guest}. When mu-share's link guests land, both kinds of guest can share one table.
 */
public final class GuestSessions {
    static final String PREFIX = "bg_";

    private final Clock clock;
    private final Duration maxAge;

    public GuestSessions(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public record Created(ClassGuest guest, String token) {
    }

    /** Display names: 1-40 printable characters, no '#' (it separates the name from the number). */
    public static String validName(String displayName) {
        String name = displayName == null ? "" : displayName.strip();
        if (name.isEmpty() || name.length() > 40 || name.contains("#") || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new ClassService.InvalidClass("displayName", "Enter the name the trainer will see: 1-40 characters, without '#'.");
        }
        return name;
    }

    public Created create(long classId, String displayName) {
        String token = Tokens.random(PREFIX);
        ClassGuest g = new ClassGuest();
        g.tokenHash = Tokens.hash(token);
        g.displayName = validName(displayName);
        g.classId = classId;
        g.createdAt = clock.instant();
        g.expiresAt = g.createdAt.plus(maxAge);
        QuarkusTransaction.requiringNew().run(g::persist);
        return new Created(g, token);
    }

    public static boolean isGuestToken(String token) {
        return token != null && token.startsWith(PREFIX);
    }

    /** The live guest for a cookie token; expired ones are deleted. */
    public Optional<ClassGuest> lookup(String token) {
        if (!isGuestToken(token) || token.length() > 100) return Optional.empty();
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<ClassGuest> g = ClassGuest.find("tokenHash", Tokens.hash(token)).firstResultOptional();
            if (g.isPresent() && Instant.now(clock).isAfter(g.get().expiresAt)) {
                g.get().delete();
                return Optional.empty();
            }
            return g;
        });
    }

    /** Whether {@code principal} is exactly the class guest {@code id} and its session has not expired. */
    public boolean isLive(long id, String principal) {
        return QuarkusTransaction.requiringNew().call(() -> ClassGuest.<ClassGuest>findByIdOptional(id)
                .filter(g -> g.principal().equals(principal) && !Instant.now(clock).isAfter(g.expiresAt))
                .isPresent());
    }

    public void end(String token) {
        if (!isGuestToken(token)) return;
        QuarkusTransaction.requiringNew().run(() -> ClassGuest.delete("tokenHash", Tokens.hash(token)));
    }
}
