package dev.berth.account;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Personal API tokens for scripts: {@code Authorization: Bearer berth_...}. A token acts as its owner (same
 * role), until it expires or is revoked. The secret is shown once at creation; the database keeps its SHA-256
 * (the secret is 256 random bits, so a fast hash is enough: there is nothing to guess).
 */
@ApplicationScoped
public class ApiTokenService {
    public static final String PREFIX = "berth_";
    static final int MAX_TOKENS_PER_USER = 50;
    static final int MAX_EXPIRY_DAYS = 3650;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** A new token and its secret (never stored). */
    public record Created(ApiToken token, String secret) {
    }

    @Transactional
    public Created create(long userId, String name, Integer expiresInDays) {
        User user = User.findById(userId);
        if (user == null) {
            throw new AccountException(AccountException.Kind.NOT_FOUND, "user_not_found", null, "No account with id " + userId + ".");
        }
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100) {
            throw AccountException.invalid("name",
                    "Give the token a name of 1 to 100 characters that says what uses it, e.g. 'backup script'.");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS)) {
            throw AccountException.invalid("expiresInDays",
                    "expiresInDays must be between 1 and " + MAX_EXPIRY_DAYS + ", or left out for a token that does not expire.");
        }
        if (ApiToken.count("user.id", userId) >= MAX_TOKENS_PER_USER) {
            throw new AccountException(AccountException.Kind.CONFLICT, "too_many_tokens", "name",
                    "You have " + MAX_TOKENS_PER_USER + " tokens already; revoke one you no longer use first.");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiToken t = new ApiToken();
        t.user = user;
        t.name = clean;
        t.tokenHash = SessionService.hash(secret);
        t.prefix = secret.substring(0, PREFIX.length() + 6);
        t.createdAt = Instant.now();
        t.expiresAt = expiresInDays == null ? null : t.createdAt.plus(Duration.ofDays(expiresInDays));
        t.persist();
        return new Created(t, secret);
    }

    public List<ApiToken> listOf(long userId) {
        return ApiToken.list("user.id = ?1 order by createdAt desc", userId);
    }

    /** Revokes a token of {@code userId} (or anyone's, for an admin); false when there is no such token. */
    @Transactional
    public Optional<ApiToken> revoke(long tokenId, long userId, boolean admin) {
        ApiToken t = ApiToken.findById(tokenId);
        if (t == null || (!admin && !t.user.id.equals(userId))) {
            return Optional.empty();
        }
        t.delete();
        return Optional.of(t);
    }

    /** The live token for a secret, with its user; empty when unknown, expired or the user is disabled. */
    @Transactional
    public Optional<ApiToken> lookup(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() < 20 || secret.length() > 100) {
            return Optional.empty();
        }
        Optional<ApiToken> found = ApiToken.find("tokenHash", SessionService.hash(secret)).firstResultOptional();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ApiToken t = found.get();
        Instant now = Instant.now();
        if ((t.expiresAt != null && now.isAfter(t.expiresAt)) || t.user.disabled) {
            return Optional.empty();
        }
        if (t.lastUsedAt == null || now.isAfter(t.lastUsedAt.plus(TOUCH_INTERVAL))) {
            t.lastUsedAt = now;
        }
        return Optional.of(t);
    }
}
