package dev.berth.classroom;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A class: a trainer, a workspace template and the hash of its one join link's token. */
@Entity
@Table(name = "classes")
public class Classroom extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String trainer;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    @Column(nullable = false)
    public String image;

    /** JSON array or null (the image's command). */
    public String cmd;

    /** JSON array of container ports, or null. */
    public String ports;

    @Column(name = "memory_bytes", nullable = false)
    public long memoryBytes;

    @Column(name = "nano_cpus", nullable = false)
    public long nanoCpus;

    @Column(name = "pids_limit", nullable = false)
    public long pidsLimit;

    @Column(name = "ttl_seconds", nullable = false)
    public long ttlSeconds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
