package dev.berth.web.terminal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import dev.berth.account.ApiTokenRevoked;
import dev.berth.terminal.TerminalRegistry;

/** Closes the terminal WebSockets a personal API token opened when the token is revoked (close code 4401). */
@ApplicationScoped
public class TokenSocketsCloser {
    @Inject
    TerminalRegistry registry;

    /** After the revocation commits, for the reason given in {@link TerminalSessionsCloser#onSessionsEnded}. */
    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApiTokenRevoked event) {
        registry.disconnect(c -> c.user().equals(event.username()) && event.connectionSession().equals(c.session()),
                TerminalSessionsCloser.SESSION_ENDED, "API token revoked");
    }
}
