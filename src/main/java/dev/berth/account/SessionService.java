package dev.berth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.scheduler.Scheduled;

/**
 * Server-side login sessions: the cookie holds a random token, the database its hash. Ending a session is
 * immediate everywhere (REST and live connections), unlike a signed stateless cookie.
 */
@ApplicationScoped
public class SessionService {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Don't write last-seen on every request; once a minute per session is enough for the idle timeout. */
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    @ConfigProperty(name = "berth.session.idle-timeout", defaultValue = "PT12H")
    Duration idleTimeout;

    @ConfigProperty(name = "berth.session.max-age", defaultValue = "P7D")
    Duration maxAge;

    @Inject
    Event<SessionsEnded> sessionsEnded;

    /** A new session and the raw token for the cookie (never stored). */
    public record Created(Session session, String token) {
    }

    @Transactional
    public Created create(User user, String userAgent, String remoteAddress) {
        String token = randomToken();
        Session s = new Session();
        s.tokenHash = hash(token);
        s.csrfToken = csrfTokenFor(token);
        s.user = user;
        s.createdAt = Instant.now();
        s.lastSeenAt = s.createdAt;
        s.expiresAt = s.createdAt.plus(maxAge);
        s.userAgent = userAgent == null ? null : truncate(userAgent, 256);
        s.remoteAddress = remoteAddress == null ? null : truncate(remoteAddress, 64);
        s.persist();
        user.lastLoginAt = s.createdAt;
        User.getEntityManager().merge(user);
        return new Created(s, token);
    }

    /** The live session for a cookie token, with its user, or empty when unknown, expired, idle or disabled. */
    @Transactional
    public Optional<Session> lookup(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            return Optional.empty();
        }
        Optional<Session> found = Session.find("tokenHash", hash(token)).firstResultOptional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session s = found.get();
        Instant now = Instant.now();
        if (now.isAfter(s.expiresAt) || now.isAfter(s.lastSeenAt.plus(idleTimeout)) || s.user.disabled) {
            s.delete();
            return Optional.empty();
        }
        if (now.isAfter(s.lastSeenAt.plus(TOUCH_INTERVAL))) {
            s.lastSeenAt = now;
        }
        return Optional.of(s);
    }

    @Transactional
    public void end(long sessionId, String reason) {
        Session s = Session.findById(sessionId);
        if (s != null) {
            long userId = s.user.id;
            String username = s.user.username;
            s.delete();
            sessionsEnded.fire(new SessionsEnded(userId, username, sessionId, null, reason));
        }
    }

    /** Ends every session of a user but {@code keep} (may be null) and tells live connections to close. */
    @Transactional
    public void endAllOf(User user, Long keep, String reason) {
        if (keep == null) {
            Session.delete("user.id", user.id);
        } else {
            Session.delete("user.id = ?1 and id <> ?2", user.id, keep);
        }
        sessionsEnded.fire(new SessionsEnded(user.id, user.username, null, keep, reason));
    }

    @Scheduled(every = "10m", delayed = "1m")
    @Transactional
    void purgeExpired() {
        Instant now = Instant.now();
        Session.delete("expiresAt < ?1 or lastSeenAt < ?2", now, now.minus(idleTimeout));
    }

    /**
     * The CSRF token of a session: a hash of the secret cookie value. A cross-site page can neither read the
     * HttpOnly cookie nor compute this, so a request carrying it comes from Berth's own front end.
     */
    public static String csrfTokenFor(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("berth-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
