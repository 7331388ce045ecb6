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

/** A user's role (view or drive) on every terminal of one container. */
@Entity
@Table(name = "terminal_grants")
public class TerminalGrant extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "container_id", nullable = false)
    public String containerId;

    @Column(nullable = false)
    public String username;

    /** "view" or "drive". */
    @Column(nullable = false)
    public String role;

    @Column(name = "granted_by", nullable = false)
    public String grantedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static List<TerminalGrant> ofContainer(String containerId) {
        return list("containerId = ?1 order by username", containerId);
    }

    public static Optional<TerminalGrant> find(String containerId, String username) {
        return find("containerId = ?1 and username = ?2", containerId, username).firstResultOptional();
    }
}
