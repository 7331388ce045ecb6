package dev.berth.audit;

import java.util.List;

/** A page of the audit log, newest first; {@code next} is the cursor for the following page, null on the last. */
public record AuditPage(List<AuditEntry> entries, Long next) {
}
