package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/**
 * Decides a person's role on a terminal: {@link RuleBasedTerminalAccess} asks every {@link TerminalAccessRule}
 * (owner and admins, grants, share links, class trainers) and keeps the strongest role.
 */
public interface TerminalAccess {
    /** The role of {@code principal} (with its security {@code roles}) on {@code terminalId}; empty: no access. */
    Optional<TerminalRole> roleFor(String principal, Set<String> roles, String terminalId);
}
