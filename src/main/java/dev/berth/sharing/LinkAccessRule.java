package dev.berth.sharing;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;

/** A guest who joined through a share link watches or drives that link's terminal, and nothing else. */
@ApplicationScoped
public class LinkAccessRule implements TerminalAccessRule {
    @Inject
    LinkService links;

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        if (!roles.contains(Guests.ROLE)) return Optional.empty();
        long id = Guests.sessionIdOf(principal);
        if (id < 0) return Optional.empty();
        return links.guest(id)
                .filter(g -> g.principal().equals(principal) && g.terminalId().equals(hub.id()))
                .map(g -> g.role().terminalRole());
    }
}
