package dev.berth.terminal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Asks every {@link TerminalAccessRule} and keeps the strongest role. Unknown terminals and anonymous callers: none. */
public final class RuleBasedTerminalAccess implements TerminalAccess {
    private final TerminalRegistry registry;
    private final List<TerminalAccessRule> rules;

    public RuleBasedTerminalAccess(TerminalRegistry registry, List<TerminalAccessRule> rules) {
        this.registry = registry;
        this.rules = List.copyOf(rules);
    }

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, String terminalId) {
        Optional<TerminalHub> hub = registry.find(terminalId);
        if (hub.isEmpty() || principal == null || principal.isEmpty()) return Optional.empty();
        TerminalRole best = null;
        for (TerminalAccessRule rule : rules) {
            Optional<TerminalRole> role = rule.roleFor(principal, roles, hub.get());
            if (role.isPresent()) best = TerminalRole.strongest(best, role.get());
        }
        return Optional.ofNullable(best);
    }
}
