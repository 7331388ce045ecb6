package dev.berth.web.terminal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;

/**
 * A test-only {@link TerminalAccessRule}: terminal tests grant a user a role on one terminal explicitly (the way
 * sharing will), since nobody but owners and admins sees a terminal by default. Empty unless a test grants.
 */
@ApplicationScoped
public class TestTerminalGrants implements TerminalAccessRule {
    private final Map<String, TerminalRole> grants = new ConcurrentHashMap<>();

    public void grant(String terminalId, String user, TerminalRole role) {
        grants.put(terminalId + "\n" + user, role);
    }

    public void revokeAll(String terminalId) {
        grants.keySet().removeIf(k -> k.startsWith(terminalId + "\n"));
    }

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        return Optional.ofNullable(grants.get(hub.id() + "\n" + principal));
    }
}
