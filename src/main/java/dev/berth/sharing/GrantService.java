package dev.berth.sharing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;

/**
 * Grants on a container's terminals, in PostgreSQL, with an in-memory copy so terminal access checks (every
 * WebSocket upgrade and terminal listing) need no database round trip. Berth is one process: the copy is exact.
 */
@ApplicationScoped
public class GrantService {
    /** containerId → username → role. */
    private final Map<String, Map<String, ShareRole>> byContainer = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    /** The role {@code username} was granted on the terminals of {@code containerId}, if any. */
    public Optional<ShareRole> roleOf(String containerId, String username) {
        ensureLoaded();
        Map<String, ShareRole> users = byContainer.get(containerId);
        return users == null ? Optional.empty() : Optional.ofNullable(users.get(username));
    }

    /** Whether {@code username} holds any grant on {@code containerId}. */
    public boolean hasGrant(String containerId, String username) {
        return roleOf(containerId, username).isPresent();
    }

    /** The ids of the containers shared with {@code username} (for "what I can see" lists). */
    public List<String> containersSharedWith(String username) {
        ensureLoaded();
        return byContainer.entrySet().stream().filter(e -> e.getValue().containsKey(username)).map(Map.Entry::getKey).toList();
    }

    @ActivateRequestContext
    public List<TerminalGrant> list(String containerId) {
        return TerminalGrant.ofContainer(containerId);
    }

    /** Gives {@code username} {@code role} on {@code containerId}'s terminals; true if the grant is new. */
    @Transactional
    public boolean put(String containerId, String username, ShareRole role, String grantedBy) {
        ensureLoaded();
        Optional<TerminalGrant> existing = TerminalGrant.find(containerId, username);
        TerminalGrant g = existing.orElseGet(TerminalGrant::new);
        g.containerId = containerId;
        g.username = username;
        g.role = role.wire();
        g.grantedBy = grantedBy;
        if (existing.isEmpty()) {
            g.createdAt = Instant.now();
            g.persist();
        }
        byContainer.computeIfAbsent(containerId, k -> new ConcurrentHashMap<>()).put(username, role);
        return existing.isEmpty();
    }

    /** Removes the grant; false if there was none. */
    @Transactional
    public boolean revoke(String containerId, String username) {
        ensureLoaded();
        long n = TerminalGrant.delete("containerId = ?1 and username = ?2", containerId, username);
        Map<String, ShareRole> users = byContainer.get(containerId);
        if (users != null) users.remove(username);
        return n > 0;
    }

    /** Forgets every grant on a container (it was removed). */
    @Transactional
    public void forgetContainer(String containerId) {
        TerminalGrant.delete("containerId", containerId);
        byContainer.remove(containerId);
    }

    private void ensureLoaded() {
        if (loaded) return;
        synchronized (this) {
            if (loaded) return;
            for (TerminalGrant g : loadAll()) {
                ShareRole r = ShareRole.fromWire(g.role);
                if (r != null) byContainer.computeIfAbsent(g.containerId, k -> new ConcurrentHashMap<>()).put(g.username, r);
            }
            loaded = true;
        }
    }

    @ActivateRequestContext
    List<TerminalGrant> loadAll() {
        return TerminalGrant.listAll();
    }
}
