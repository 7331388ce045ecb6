package dev.berth.web.terminal;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;

/**
 * Tests only: accounts named {@code auditdrv-*} drive terminals named {@code audit-t-*} (TerminalAuditTest), so the
 * test does not depend on which sharing rules the application ships.
 */
@ApplicationScoped
public class AuditTestDriverRule implements TerminalAccessRule {
    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        return principal.startsWith("auditdrv-") && hub.id().startsWith("audit-t-") ? Optional.of(TerminalRole.DRIVER)
                : Optional.empty();
    }
}
