package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/**
 * Decides a person's role on a terminal. The multi-user layer (shares, grants) implements this; the default
 * ({@link DefaultTerminalAccess}) lets admins and the terminal's owner drive and everyone else authenticated watch.
 */
public interface TerminalAccess {
    /** The role of {@code principal} (with its security {@code roles}) on {@code terminalId}; empty: no access. */
    Optional<TerminalRole> roleFor(String principal, Set<String> roles, String terminalId);
}
