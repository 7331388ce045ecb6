package dev.berth.account;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/** Creates, changes and lists accounts. Admin-only checks live in the web adapter. */
@ApplicationScoped
public class UserService {
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,62}");

    @Inject
    PasswordHasher hasher;

    @Inject
    SessionService sessions;

    @Transactional
    public User create(String username, String displayName, String password, Role role, boolean mustChangePassword) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw AccountException.invalid("username", "The username must be 2 to 63 characters: lower-case letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit.");
        }
        if (role == null) {
            throw AccountException.invalid("role", "A role is required: admin or user.");
        }
        String problem = PasswordPolicy.problem(password, username);
        if (problem != null) {
            throw AccountException.invalid("password", problem);
        }
        if (User.findByUsername(username).isPresent()) {
            throw new AccountException(AccountException.Kind.CONFLICT, "username_taken", "username",
                    "The username '" + username + "' is taken; choose another.");
        }
        User user = new User();
        user.username = username;
        user.displayName = displayName == null || displayName.isBlank() ? username : displayName.strip();
        user.passwordHash = hasher.hash(password);
        user.role = role;
        user.mustChangePassword = mustChangePassword;
        user.createdAt = Instant.now();
        user.passwordChangedAt = user.createdAt;
        user.persist();
        return user;
    }

    public List<User> list() {
        return User.listAll(io.quarkus.panache.common.Sort.by("username"));
    }

    public User get(long id) {
        User user = User.findById(id);
        if (user == null) {
            throw new AccountException(AccountException.Kind.NOT_FOUND, "user_not_found", null,
                    "No user with id " + id + ". List users with GET /api/users.");
        }
        return user;
    }

    /** Changes display name, role and/or disabled flag; null leaves a value as it is. */
    @Transactional
    public User update(long id, String displayName, Role role, Boolean disabled, String actingUsername) {
        User user = get(id);
        boolean losesAdmin = (role != null && role != Role.ADMIN) || Boolean.TRUE.equals(disabled);
        if (losesAdmin && user.role == Role.ADMIN && !user.disabled && User.countAdmins() <= 1) {
            throw new AccountException(AccountException.Kind.CONFLICT, "last_admin", role != null ? "role" : "disabled",
                    "'" + user.username + "' is the last active admin; make another user admin first.");
        }
        if (Boolean.TRUE.equals(disabled) && user.username.equals(actingUsername)) {
            throw new AccountException(AccountException.Kind.CONFLICT, "cannot_disable_self", "disabled",
                    "You cannot disable your own account.");
        }
        if (displayName != null) {
            if (displayName.isBlank() || displayName.length() > 128) {
                throw AccountException.invalid("displayName", "The display name must be 1 to 128 characters.");
            }
            user.displayName = displayName.strip();
        }
        if (role != null) {
            user.role = role;
        }
        boolean endSessions = false;
        if (disabled != null && disabled != user.disabled) {
            user.disabled = disabled;
            endSessions = disabled;
        }
        if (role != null) {
            endSessions = true; // a session's roles were fixed at login
        }
        if (endSessions) {
            endAllSessions(user, disabled != null && disabled ? "account disabled" : "role changed");
        }
        return user;
    }

    /** Allows or forbids a user to pull, import, tag and remove images (admins always may). */
    @Transactional
    public User setMayPull(long id, boolean mayPull) {
        User user = get(id);
        user.mayPull = mayPull;
        return user;
    }

    /** An admin sets a new password; the user must change it at next login and every session ends. */
    @Transactional
    public void resetPassword(long id, String newPassword) {
        User user = get(id);
        setPassword(user, newPassword, "password");
        user.mustChangePassword = true;
        endAllSessions(user, "password reset");
    }

    /** A user changes their own password, proving the current one; their other sessions end. */
    @Transactional
    public void changeOwnPassword(long id, String currentPassword, String newPassword, Long keepSessionId) {
        User user = get(id);
        if (currentPassword == null || !hasher.matches(currentPassword, user.passwordHash)) {
            throw AccountException.invalid("currentPassword", "The current password is wrong.");
        }
        if (newPassword != null && newPassword.equals(currentPassword)) {
            throw AccountException.invalid("newPassword", "The new password must differ from the current one.");
        }
        setPassword(user, newPassword, "newPassword");
        user.mustChangePassword = false;
        sessions.endAllOf(user, keepSessionId, "password changed");
    }

    private void setPassword(User user, String newPassword, String field) {
        String problem = PasswordPolicy.problem(newPassword, user.username);
        if (problem != null) {
            throw AccountException.invalid(field, problem);
        }
        user.passwordHash = hasher.hash(newPassword);
        user.passwordChangedAt = Instant.now();
    }

    private void endAllSessions(User user, String reason) {
        sessions.endAllOf(user, null, reason);
    }
}
