package dev.berth.web.quota;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.berth.quota.QuotaLimits;
import dev.berth.quota.QuotaService;
import dev.berth.quota.QuotaUsage;
import dev.berth.web.ApiException;
import dev.berth.web.ownership.AccessGuard;

/**
 * Quotas per role and per user ({@code /api/quotas}, admins), and the caller's own limits and usage
 * ({@code /api/quotas/me}). docs/permissions.md explains the semantics.
 */
@Path("/quotas")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class QuotaResource {
    @Inject
    dev.berth.audit.AuditLog audit;

    /** One quota on the wire; null limits are unlimited. */
    public record QuotaView(String scope, String name, Integer maxRunning, Long maxMemoryBytes, Long maxNanoCpus, Long maxPids,
            Long totalMemoryBytes, Long totalNanoCpus, Long maxVolumeBytes) {
        static QuotaView of(QuotaService.Entry e) {
            QuotaLimits l = e.limits();
            return new QuotaView(e.scope(), e.name(), l.maxRunning(), l.maxMemoryBytes(), l.maxNanoCpus(), l.maxPids(),
                    l.totalMemoryBytes(), l.totalNanoCpus(), l.maxVolumeBytes());
        }

        QuotaLimits limits() {
            return new QuotaLimits(maxRunning, maxMemoryBytes, maxNanoCpus, maxPids, totalMemoryBytes, totalNanoCpus, maxVolumeBytes);
        }
    }

    public record MyQuota(QuotaLimits limits, QuotaUsage usage) {
    }

    @Inject
    QuotaService quotas;
    @Inject
    QuotaGuard guard;
    @Inject
    AccessGuard access;

    @GET
    @RolesAllowed("admin")
    public List<QuotaView> list() {
        return quotas.list().stream().map(QuotaView::of).toList();
    }

    @GET
    @Path("/me")
    @RolesAllowed({"admin", "user"})
    public MyQuota me() {
        var who = access.requester();
        return new MyQuota(guard.limits(who), guard.usage(who.name(), true));
    }

    @PUT
    @Path("/{scope}/{name}")
    @RolesAllowed("admin")
    public QuotaView put(@PathParam("scope") String scope, @PathParam("name") String name, QuotaView body) {
        check(scope, name);
        QuotaLimits limits = body == null ? QuotaLimits.NONE : body.limits();
        String problem = QuotaService.problem(limits);
        if (problem != null) {
            int colon = problem.indexOf(':');
            throw ApiException.badRequest(problem.substring(0, colon), problem.substring(colon + 2));
        }
        QuotaView saved = QuotaView.of(quotas.put(scope, name, limits, access.user()));
        audit.record(access.user(), "quota.set", scope + " " + name, String.valueOf(limits));
        return saved;
    }

    @DELETE
    @Path("/{scope}/{name}")
    @RolesAllowed("admin")
    public Response delete(@PathParam("scope") String scope, @PathParam("name") String name) {
        check(scope, name);
        if (!quotas.delete(scope, name)) {
            throw ApiException.notFound("quota_not_found", "No quota is set for " + scope + " '" + name
                    + "'; list quotas with GET /api/quotas.");
        }
        audit.record(access.user(), "quota.delete", scope + " " + name, null);
        return Response.noContent().build();
    }

    private static void check(String scope, String name) {
        try {
            QuotaService.validate(scope, name);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(':');
            throw ApiException.badRequest(m.substring(0, colon), m.substring(colon + 2));
        }
    }
}
