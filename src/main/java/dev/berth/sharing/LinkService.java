package dev.berth.sharing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Share links and the guest sessions they open. Tokens and guest cookies are 256 random bits, stored as SHA-256.
 * Active guest sessions are kept in memory too, so the terminal access check of a guest needs no database.
 */
@ApplicationScoped
public class LinkService {
    /** Guest session id → what it reaches; only sessions seen active (entries are dropped when ended). */
    private final Map<Long, GuestAccess> guests = new ConcurrentHashMap<>();

    @Inject
    EntityManager em;

    /** A new link and its secret token (shown once; only its hash is stored). */
    public record Created(ShareLink link, String token) {
    }

    /** The outcome of a join: the guest session and its cookie value, or why the link refused. */
    public record Joined(GuestAccess guest, String cookieToken) {
    }

    @Transactional
    public Created create(String terminalId, ShareRole role, Duration expiresIn, Integer maxUses, String createdBy) {
        String token = Tokens.newToken();
        ShareLink l = new ShareLink();
        l.tokenHash = Tokens.sha256(token);
        l.terminalId = terminalId;
        l.role = role.wire();
        l.createdBy = createdBy;
        l.createdAt = Instant.now();
        l.expiresAt = l.createdAt.plus(expiresIn);
        l.maxUses = maxUses;
        l.uses = 0;
        l.persist();
        return new Created(l, token);
    }

    @ActivateRequestContext
    public List<ShareLink> list(String terminalId) {
        return ShareLink.ofTerminal(terminalId);
    }

    @ActivateRequestContext
    public Optional<ShareLink> find(long id) {
        return Optional.ofNullable(ShareLink.findById(id));
    }

    /** The link a token names, if it is well formed and known (whatever its state). */
    @ActivateRequestContext
    public Optional<ShareLink> byToken(String token) {
        if (!Tokens.wellFormed(token)) return Optional.empty();
        return ShareLink.byTokenHash(Tokens.sha256(token));
    }

    /**
     * Revokes a link and ends the guest sessions it opened; returns those guests' principal names (their terminal
     * connections must close). Revoking twice is harmless.
     */
    @Transactional
    public List<String> revoke(long id) {
        ShareLink l = ShareLink.findById(id);
        if (l == null) return List.of();
        Instant now = Instant.now();
        if (l.revokedAt == null) l.revokedAt = now;
        List<GuestSession> sessions = GuestSession.ofLink(id);
        for (GuestSession s : sessions) {
            s.endedAt = now;
            guests.remove(s.id);
        }
        guests.values().removeIf(g -> g.linkId() == id);
        return sessions.stream().map(GuestSession::principal).toList();
    }

    /**
     * Uses the link once: counts the use (atomically, so a use limit holds under concurrent joins) and opens a
     * guest session of {@code ttl}. Empty if the link does not admit guests any more.
     */
    @Transactional
    public Optional<Joined> join(ShareLink link, String displayName, String address, Duration ttl) {
        Instant now = Instant.now();
        int counted = em.createQuery("update ShareLink l set l.uses = l.uses + 1 where l.id = :id and l.revokedAt is null"
                        + " and l.expiresAt > :now and (l.maxUses is null or l.uses < l.maxUses)")
                .setParameter("id", link.id).setParameter("now", now).executeUpdate();
        if (counted == 0) return Optional.empty();
        ShareLink fresh = ShareLink.findById(link.id);
        em.refresh(fresh);
        String token = Tokens.newToken();
        GuestSession s = new GuestSession();
        s.tokenHash = Tokens.sha256(token);
        s.link = fresh;
        s.displayName = displayName;
        s.createdAt = now;
        s.expiresAt = now.plus(ttl);
        s.remoteAddress = address;
        s.persist();
        GuestAccess g = GuestAccess.of(s);
        guests.put(s.id, g);
        return Optional.of(new Joined(g, token));
    }

    /** The active guest session a cookie value names. */
    @ActivateRequestContext
    public Optional<GuestAccess> guestByToken(String token) {
        if (!Tokens.wellFormed(token)) return Optional.empty();
        Optional<GuestSession> s = GuestSession.byTokenHash(Tokens.sha256(token));
        Instant now = Instant.now();
        if (s.isEmpty() || !s.get().activeAt(now)) {
            s.ifPresent(x -> guests.remove(x.id));
            return Optional.empty();
        }
        GuestAccess g = GuestAccess.of(s.get());
        guests.put(g.guestId(), g);
        return Optional.of(g);
    }

    /** The active guest session with this id (from memory; sessions not seen since start are looked up). */
    public Optional<GuestAccess> guest(long guestId) {
        GuestAccess g = guests.get(guestId);
        if (g == null) g = loadGuest(guestId).orElse(null);
        if (g == null) return Optional.empty();
        if (!g.expiresAt().isAfter(Instant.now())) {
            guests.remove(guestId);
            return Optional.empty();
        }
        return Optional.of(g);
    }

    @ActivateRequestContext
    Optional<GuestAccess> loadGuest(long guestId) {
        GuestSession s = GuestSession.findById(guestId);
        if (s == null || !s.activeAt(Instant.now())) return Optional.empty();
        GuestAccess g = GuestAccess.of(s);
        guests.put(guestId, g);
        return Optional.of(g);
    }
}
