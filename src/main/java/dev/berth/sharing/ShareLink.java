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
import jakarta.persistence.Table;

/** A link that lets whoever holds its token join one terminal as a guest. Only the token's SHA-256 is kept. */
@Entity
@Table(name = "share_links")
public class ShareLink extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    @Column(name = "terminal_id", nullable = false)
    public String terminalId;

    /** "view" or "drive". */
    @Column(nullable = false)
    public String role;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** Null: unlimited. */
    @Column(name = "max_uses")
    public Integer maxUses;

    @Column(nullable = false)
    public int uses;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Whether this link still admits new guests at {@code now}. */
    public LinkState state(Instant now) {
        if (revokedAt != null) return LinkState.REVOKED;
        if (!expiresAt.isAfter(now)) return LinkState.EXPIRED;
        if (maxUses != null && uses >= maxUses) return LinkState.USED_UP;
        return LinkState.ACTIVE;
    }

    public static Optional<ShareLink> byTokenHash(String hash) {
        return find("tokenHash", hash).firstResultOptional();
    }

    /** The links of a terminal that were not revoked (expired and used-up ones included), newest first. */
    public static List<ShareLink> ofTerminal(String terminalId) {
        return list("terminalId = ?1 and revokedAt is null order by createdAt desc, id desc", terminalId);
    }

    /** Whether a link admits new guests. */
    public enum LinkState {
        ACTIVE, EXPIRED, USED_UP, REVOKED;

        public String wire() {
            return name().toLowerCase().replace('_', '-');
        }
    }
}
