package dev.berth.web.terminal;

import dev.berth.account.SessionsEnded;
import dev.berth.terminal.TerminalRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/** Closes the terminal WebSockets a login session opened when the session ends (logout, password change...). */
@ApplicationScoped
public class TerminalSessionsCloser {
    /** WebSocket close code for "your session ended". */
    public static final int SESSION_ENDED = 4401;

    @Inject
    TerminalRegistry registry;

    /**
     * After the ending commits (and only if it does): closing sockets inside the logout's transaction ran their
     * close callbacks on other threads with that transaction propagated, and Narayana then refused the commit
     * ("multiple threads active"; the logout answered 500 now and then).
     */
    void onSessionsEnded(@Observes(during = TransactionPhase.AFTER_SUCCESS) SessionsEnded event) {
        closeFor(event);
    }

    /** Closes every terminal connection of {@code event}'s user that the ended session(s) opened; returns how many. */
    public int closeFor(SessionsEnded event) {
        return registry.disconnect(c -> c.user().equals(event.username()) && event.ends(parse(c.session())),
                SESSION_ENDED, "session ended: " + event.reason());
    }

    /** Closes every terminal connection of {@code username} (all sessions, HTTP Basic included); returns how many. */
    public int closeAllOf(String username, String reason) {
        return registry.disconnect(c -> c.user().equals(username), SESSION_ENDED, reason);
    }

    private static Long parse(String s) {
        if (s == null) return null;
        try {
            return Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
