package dev.berth.terminal;

import java.util.Optional;
import java.util.Set;

/**
 * Every signed-in person watches every terminal. The single-team default until ownership and sharing decide who
 * sees what; the multi-user layer drops this rule.
 */
public final class SignedInViewerRule implements TerminalAccessRule {
    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        return Optional.of(TerminalRole.VIEWER);
    }
}
