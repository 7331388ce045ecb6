package dev.berth.web.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.berth.audit.AuditLog;
import dev.berth.audit.AuditPage;
import dev.berth.audit.AuditQuery;
import dev.berth.web.ApiException;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code GET /api/audit}: the audit log for administrators, newest first, one page at a time. Pass the
 * previous answer's {@code next} as {@code before} for the following page.
 */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AuditResource {

    @Inject
    AuditLog audit;

    @GET
    @Blocking
    public AuditPage search(@QueryParam("q") String q, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("target") String target, @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") Integer limit, @QueryParam("before") Long before) {
        if (limit != null && (limit < 1 || limit > AuditQuery.MAX_LIMIT)) {
            throw ApiException.badRequest("limit", "limit must be between 1 and " + AuditQuery.MAX_LIMIT + ".");
        }
        return audit.search(new AuditQuery(q, actor, action, target, instant("since", since), instant("until", until), before,
                limit == null ? 100 : limit));
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value.strip()).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest(field,
                        field + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, not '" + value + "'.");
            }
        }
    }
}
