package dev.berth.account;

/** What makes an acceptable password. */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 72; // bcrypt ignores bytes past 72

    private PasswordPolicy() {
    }

    /** Returns a message saying what is wrong, or null when the password is acceptable. */
    public static String problem(String password, String username) {
        if (password == null || password.isEmpty()) {
            return "A password is required.";
        }
        if (password.length() < MIN_LENGTH) {
            return "The password must have at least " + MIN_LENGTH + " characters.";
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "The password must be at most " + MAX_LENGTH + " bytes long.";
        }
        if (username != null && password.equalsIgnoreCase(username)) {
            return "The password must not be the username.";
        }
        return null;
    }
}
