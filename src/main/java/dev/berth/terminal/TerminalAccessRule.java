package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/**
 * One reason a person may use a terminal: its owner, an admin, a grant, a share link, a class trainer. Every rule
 * is asked; the strongest role any rule gives wins ({@link TerminalRole#strongest}). No rule: no access.
 */
public interface TerminalAccessRule {
    /** The role this rule gives {@code principal} (with its security {@code roles}) on {@code hub}; empty: none. */
    Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub);
}
