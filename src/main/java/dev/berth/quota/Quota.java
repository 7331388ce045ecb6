package dev.berth.quota;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A quota row: limits for a role or for one user (table {@code quotas}, migration V100). */
@Entity
@Table(name = "quotas")
public class Quota extends PanacheEntityBase {

    /** The key: {@code scope} is {@code role} or {@code user}, {@code name} the role or user name. */
    @Embeddable
    public static class Key implements Serializable {
        @Column(nullable = false)
        public String scope;
        @Column(nullable = false)
        public String name;

        public Key() {
        }

        public Key(String scope, String name) {
            this.scope = scope;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && scope.equals(k.scope) && name.equals(k.name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(scope, name);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "max_running")
    public Integer maxRunning;
    @Column(name = "max_memory_bytes")
    public Long maxMemoryBytes;
    @Column(name = "max_nano_cpus")
    public Long maxNanoCpus;
    @Column(name = "max_pids")
    public Long maxPids;
    @Column(name = "total_memory_bytes")
    public Long totalMemoryBytes;
    @Column(name = "total_nano_cpus")
    public Long totalNanoCpus;
    @Column(name = "max_volume_bytes")
    public Long maxVolumeBytes;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;

    public QuotaLimits limits() {
        return new QuotaLimits(maxRunning, maxMemoryBytes, maxNanoCpus, maxPids, totalMemoryBytes, totalNanoCpus, maxVolumeBytes);
    }

    void set(QuotaLimits l) {
        maxRunning = l.maxRunning();
        maxMemoryBytes = l.maxMemoryBytes();
        maxNanoCpus = l.maxNanoCpus();
        maxPids = l.maxPids();
        totalMemoryBytes = l.totalMemoryBytes();
        totalNanoCpus = l.totalNanoCpus();
        maxVolumeBytes = l.maxVolumeBytes();
    }
}
