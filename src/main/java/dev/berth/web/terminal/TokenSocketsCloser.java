package dev.berth.web.terminal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.berth.account.ApiTokenRevoked;
import dev.berth.terminal.TerminalRegistry;

/** Closes the terminal WebSockets a personal API token opened when the token is revoked (close code 4401). */
@ApplicationScoped
public class TokenSocketsCloser {
    @Inject
    TerminalRegistry registry;

    void onRevoked(@Observes ApiTokenRevoked event) {
        registry.disconnect(c -> c.user().equals(event.username()) && event.connectionSession().equals(c.session()),
                TerminalSessionsCloser.SESSION_ENDED, "API token revoked");
    }
}
