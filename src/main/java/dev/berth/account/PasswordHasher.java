package dev.berth.account;

import java.nio.charset.StandardCharsets;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.enterprise.context.ApplicationScoped;

/** bcrypt hashing of account passwords. */
@ApplicationScoped
public class PasswordHasher {
    static final int COST = 11;
    /** A valid hash of a random password, compared against when a username is unknown (equal timing). */
    private final String decoy = hash("decoy-" + System.nanoTime());

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of a real check so that unknown usernames can't be told apart by timing. */
    public void burnTime(String password) {
        matches(password, decoy);
    }
}
