package dev.berth.web.ownership;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerService;
import dev.berth.ownership.Owners;
import dev.berth.ownership.TerminalContainers;
import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;

/**
 * The owner of a container owns every terminal of it: its TTY terminal and the exec terminals opened in it, whoever
 * opened them (an admin's exec shell in a user's container is the user's to see too).
 */
@ApplicationScoped
public class ContainerOwnerTerminalRule implements TerminalAccessRule {
    @Inject
    TerminalContainers terminals;
    @Inject
    ContainerService containers;

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        Optional<String> container = terminals.containerOf(hub.id());
        if (container.isEmpty()) {
            return Optional.empty();
        }
        String owner;
        try {
            var c = containers.inspect(container.get());
            if (!c.Id().equals(container.get())) {
                return Optional.empty(); // a terminal id that happens to be a container's name or id prefix
            }
            owner = Owners.of(c.Config().Labels());
        } catch (EngineException notAContainer) {
            return Optional.empty();
        }
        return principal.equals(owner) ? Optional.of(TerminalRole.OWNER) : Optional.empty();
    }
}
