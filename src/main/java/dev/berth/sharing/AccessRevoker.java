package dev.berth.sharing;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.ownership.TerminalContainers;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;

/**
 * Closes the terminal connections a revoked grant or link had allowed, at once (close code {@value #ACCESS_REVOKED}).
 * A grantee who keeps access another way (owner, admin, another rule) keeps their connection unless their role
 * dropped, in which case it is closed too and the browser reconnects with the new role.
 */
@ApplicationScoped
public class AccessRevoker {
    /** WebSocket close code: access to this terminal was revoked (grant or link). */
    public static final int ACCESS_REVOKED = 4403;

    @Inject
    TerminalRegistry registry;
    @Inject
    TerminalAccess access;
    @Inject
    TerminalContainers containers;

    /**
     * Re-checks every connection of {@code username} (with security {@code roles}) on the terminals of
     * {@code containerId}; closes those whose role is gone or lower than the one they joined with. Returns how many.
     */
    public int recheck(String containerId, String username, Set<String> roles) {
        int closed = 0;
        for (TerminalHub hub : registry.all()) {
            if (!containers.containerOf(hub.id()).map(containerId::equals).orElse(false)) continue;
            for (TerminalClient c : hub.clients()) {
                if (!c.user().equals(username)) continue;
                Optional<TerminalRole> now = access.roleFor(username, roles, hub.id());
                if (now.isEmpty() || now.get().ordinal() > c.role().ordinal()) {
                    hub.leave(c, ACCESS_REVOKED, now.isEmpty()
                            ? "your access to this terminal was revoked"
                            : "your role on this terminal changed to " + now.get().wire() + ": reconnect");
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Closes every connection of these guests (their link was revoked). */
    public int closeGuests(Collection<String> principals, String reason) {
        if (principals.isEmpty()) return 0;
        Set<String> set = new HashSet<>(principals);
        return registry.disconnect(c -> set.contains(c.user()), ACCESS_REVOKED, reason);
    }
}
