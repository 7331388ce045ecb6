package dev.berth.classroom;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A guest of a class (no account): a display name and the hash of its session cookie. */
@Entity
@Table(name = "class_guests")
public class ClassGuest extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "class_id", nullable = false)
    public Long classId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The principal name of the guests contract: {@code guest:<displayName>#<id>}. */
    public String principal() {
        return "guest:" + displayName + "#" + id;
    }
}
