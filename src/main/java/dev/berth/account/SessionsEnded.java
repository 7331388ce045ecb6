package dev.berth.account;

/**
 * Fired (as a CDI event) when sessions of a user ended: logout, password change or reset, role change, account
 * disabled. Whatever holds live connections opened by those sessions (terminal WebSockets, port links) must
 * close them at once.
 *
 * @param userId the account
 * @param username its name
 * @param sessionId the one session that ended, or null when every session of the user ended
 * @param keptSessionId with {@code sessionId == null}: a session that stays (the one that changed the password)
 * @param reason why, for logs and close frames
 */
public record SessionsEnded(long userId, String username, Long sessionId, Long keptSessionId, String reason) {

    /** Whether a connection opened by the given session (null: not session-based, e.g. HTTP Basic) must close. */
    public boolean ends(Long connectionSessionId) {
        if (sessionId != null) {
            return sessionId.equals(connectionSessionId);
        }
        return keptSessionId == null || !keptSessionId.equals(connectionSessionId);
    }
}
