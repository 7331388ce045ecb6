package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/** Admins and the terminal's owner are owners; every other authenticated person views. Unknown terminals: none. */
public final class DefaultTerminalAccess implements TerminalAccess {
    private final TerminalRegistry registry;

    public DefaultTerminalAccess(TerminalRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, String terminalId) {
        Optional<TerminalHub> hub = registry.find(terminalId);
        if (hub.isEmpty() || principal == null || principal.isEmpty()) return Optional.empty();
        if (roles.contains("admin") || principal.equals(hub.get().owner())) return Optional.of(TerminalRole.OWNER);
        return Optional.of(TerminalRole.VIEWER);
    }
}
