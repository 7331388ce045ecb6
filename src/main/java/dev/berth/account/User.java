package dev.berth.account;

import java.time.Instant;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An account. Passwords are stored only as bcrypt hashes. */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(nullable = false)
    @Convert(converter = RoleConverter.class)
    public Role role;

    @Column(nullable = false)
    public boolean disabled;

    @Column(name = "must_change_password", nullable = false)
    public boolean mustChangePassword;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_login_at")
    public Instant lastLoginAt;

    @Column(name = "password_changed_at", nullable = false)
    public Instant passwordChangedAt;

    /** Whether this user may pull, import, tag and remove images (admins always may). */
    @Column(name = "may_pull", nullable = false)
    public boolean mayPull = true;

    public static Optional<User> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static long countAdmins() {
        return count("role = ?1 and disabled = false", Role.ADMIN);
    }
}
