package dev.berth.workspace;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A workspace row: who it is for, its class (if any) and its time-to-live. Its containers carry its id as a label. */
@Entity
@Table(name = "workspaces")
public class Workspace extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String owner;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "class_id")
    public Long classId;

    @Column(name = "ttl_seconds", nullable = false)
    public long ttlSeconds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_activity_at", nullable = false)
    public Instant lastActivityAt;

    @Column(name = "memory_bytes", nullable = false)
    public long memoryBytes;
}
