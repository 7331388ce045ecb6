package dev.berth.audit;

import java.time.Instant;

/**
 * A search of the audit log. Every field may be null (no filter). {@code text} matches any part of actor,
 * action, target or detail, case-insensitively; {@code action} matches exactly, or as a prefix when it ends
 * with {@code .} or {@code *}; {@code target} matches exactly ({@code container.} finds every container action); {@code before} is the keyset
 * cursor: only entries with a smaller id (the {@code next} of the previous page).
 */
public record AuditQuery(String text, String actor, String action, String target, Instant since, Instant until,
        Long before, int limit) {
    public static final int MAX_LIMIT = 500;

    public AuditQuery {
        limit = limit <= 0 ? 100 : Math.min(limit, MAX_LIMIT);
    }

    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, null, MAX_LIMIT);
    }
}
