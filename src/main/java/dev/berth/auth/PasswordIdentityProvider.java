package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

import dev.berth.account.PasswordHasher;
import dev.berth.account.User;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Checks HTTP Basic credentials (scripts calling the REST API) against the accounts. bcrypt is deliberately slow,
 * so a verified credential is remembered for a short while, keyed by a SHA-256 of username, password and the
 * stored hash (a password change invalidates it). Failures count towards the login throttle.
 */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
    private static final Duration CACHE_FOR = Duration.ofSeconds(60);
    private final Map<String, Instant> verified = new ConcurrentHashMap<>();

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginThrottle throttle;

    @Inject
    dev.berth.audit.AuditLog audit;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return context.runBlocking(() -> check(request.getUsername(), new String(request.getPassword().getPassword())));
    }

    @ActivateRequestContext
    SecurityIdentity check(String username, String password) {
        if (!throttle.retryAfter(username, null).isZero()) {
            audit.record(username, "session.login-throttled", username, "HTTP Basic refused: too many failed logins");
            throw new AuthenticationFailedException("Too many failed logins for " + username);
        }
        User user = User.findByUsername(username).orElse(null);
        if (user == null) {
            hasher.burnTime(password);
            throttle.failed(username, null);
            audit.record(username, "session.login-failed", username, "HTTP Basic: no such account");
            throw new AuthenticationFailedException("Wrong username or password");
        }
        String key = cacheKey(username, password, user.passwordHash);
        Instant until = verified.get(key);
        boolean ok = until != null && until.isAfter(Instant.now());
        if (!ok) {
            ok = hasher.matches(password, user.passwordHash);
            if (ok) {
                if (verified.size() > 10_000) {
                    verified.clear();
                }
                verified.put(key, Instant.now().plus(CACHE_FOR));
            }
        }
        if (!ok) {
            throttle.failed(username, null);
            audit.record(username, "session.login-failed", username, "HTTP Basic: wrong password");
            throw new AuthenticationFailedException("Wrong username or password");
        }
        if (user.disabled) {
            throw new AuthenticationFailedException("Account disabled");
        }
        return AccountIdentities.of(user, null);
    }

    private static String cacheKey(String username, String password, String hash) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(username.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(password.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(hash.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
