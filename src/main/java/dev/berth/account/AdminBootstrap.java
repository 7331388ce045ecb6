package dev.berth.account;

import java.security.SecureRandom;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Makes sure an administrator exists before the first request is served, so there is never an
 * unauthenticated set-up window. The password comes from {@code BERTH_ADMIN_INITIAL_PASSWORD}
 * ({@code berth.admin.initial-password}); without it a random one-time password is printed to the log and
 * must be changed at first login.
 */
@ApplicationScoped
public class AdminBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    @Inject
    UserService users;

    @ConfigProperty(name = "berth.admin.username", defaultValue = "admin")
    String adminUsername;

    @ConfigProperty(name = "berth.admin.initial-password")
    Optional<String> initialPassword;

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (User.count("role", Role.ADMIN) > 0) {
            return;
        }
        boolean generated = initialPassword.isEmpty() || initialPassword.get().isBlank();
        String password = generated ? randomPassword() : initialPassword.get();
        users.create(adminUsername, "Administrator", password, Role.ADMIN, generated);
        if (generated) {
            LOG.warnf("%n%n    Berth created the administrator account.%n    Username: %s%n    One-time password: %s%n"
                    + "    Log in at the console and choose a new password.%n", adminUsername, password);
        } else {
            LOG.infof("Berth created the administrator account '%s' with the password from berth.admin.initial-password.",
                    adminUsername);
        }
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
