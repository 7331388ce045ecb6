package dev.berth.sharing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A guest's browser session, opened by joining a share link. Only the cookie value's SHA-256 is kept. */
@Entity
@Table(name = "guest_sessions")
public class GuestSession extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    @ManyToOne(optional = false)
    @JoinColumn(name = "link_id")
    public ShareLink link;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "remote_address")
    public String remoteAddress;

    /** The principal name guests are known by: {@code guest:<display name>#<session id>}. */
    public String principal() {
        return Guests.principal(displayName, id);
    }

    public boolean activeAt(Instant now) {
        return endedAt == null && expiresAt.isAfter(now) && link.revokedAt == null;
    }

    public static Optional<GuestSession> byTokenHash(String hash) {
        return find("tokenHash", hash).firstResultOptional();
    }

    public static List<GuestSession> ofLink(long linkId) {
        return list("link.id = ?1 and endedAt is null", linkId);
    }
}
