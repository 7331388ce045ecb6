package dev.berth.audit;

import java.time.Instant;

/**
 * One line of the audit log: at {@code at}, {@code actor} (a principal name, {@code guest:...} or
 * {@code system}) did {@code action} (dotted lowercase, e.g. {@code container.start}) to {@code target}
 * (an id or name, may be null), with {@code detail} (free text, may be null), from {@code address} (the
 * client's address when known).
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String detail,
        String address) {
}
