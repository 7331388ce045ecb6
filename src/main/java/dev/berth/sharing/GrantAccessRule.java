package dev.berth.sharing;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.ownership.TerminalContainers;
import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;

/** A user granted view or drive on a container watches or drives every terminal of that container. */
@ApplicationScoped
public class GrantAccessRule implements TerminalAccessRule {
    @Inject
    GrantService grants;
    @Inject
    TerminalContainers containers;

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        if (roles.contains(Guests.ROLE)) return Optional.empty();
        return containers.containerOf(hub.id()).flatMap(c -> grants.roleOf(c, principal)).map(ShareRole::terminalRole);
    }
}
