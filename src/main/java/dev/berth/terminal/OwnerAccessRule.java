package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/** Admins and the person who opened a terminal own it. */
public final class OwnerAccessRule implements TerminalAccessRule {
    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        return roles.contains("admin") || principal.equals(hub.owner()) ? Optional.of(TerminalRole.OWNER) : Optional.empty();
    }
}
