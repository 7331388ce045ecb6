package dev.berth.workspace;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory view of a workspace the reaper, the activity hooks and the terminal access rule read on every
 * call (no database round trip): its owner, class, TTL, last activity and containers. The row in PostgreSQL is
 * the durable copy; activity is written back on each sweep.
 */
public final class LiveWorkspace {
    private final String id;
    private final String owner;
    private final String displayName;
    private final Long classId;
    private final Duration ttl;
    private final Instant createdAt;
    private final Set<String> containers = ConcurrentHashMap.newKeySet();
    private volatile Instant lastActivity;
    private volatile Instant persistedActivity;

    LiveWorkspace(String id, String owner, String displayName, Long classId, Duration ttl, Instant createdAt, Instant lastActivity) {
        this.id = id;
        this.owner = owner;
        this.displayName = displayName;
        this.classId = classId;
        this.ttl = ttl;
        this.createdAt = createdAt;
        this.lastActivity = lastActivity;
        this.persistedActivity = lastActivity;
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public String displayName() {
        return displayName;
    }

    public Long classId() {
        return classId;
    }

    public Duration ttl() {
        return ttl;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    public Instant expiresAt() {
        return lastActivity.plus(ttl);
    }

    public Set<String> containers() {
        return Set.copyOf(containers);
    }

    void addContainer(String containerId) {
        containers.add(containerId);
    }

    void removeContainer(String containerId) {
        containers.remove(containerId);
    }

    void touch(Instant now) {
        if (now.isAfter(lastActivity)) lastActivity = now;
    }

    /** True once when the activity moved since it was last written to the database. */
    boolean activityUnsaved() {
        return !lastActivity.equals(persistedActivity);
    }

    void activitySaved(Instant at) {
        persistedActivity = at;
    }
}
