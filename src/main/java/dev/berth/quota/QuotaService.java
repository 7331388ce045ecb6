package dev.berth.quota;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.berth.ownership.Requester;

/**
 * Stores quotas and answers which one applies to a person: their own user quota if one is set, else their role's,
 * else none. A user quota replaces the role quota as a whole (unset fields in it are unlimited). Admins are exempt
 * unless a quota is set for them or for the admin role.
 */
@ApplicationScoped
public class QuotaService {
    public static final String ROLE = "role";
    public static final String USER = "user";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public record Entry(String scope, String name, QuotaLimits limits) {
    }

    public List<Entry> list() {
        return Quota.<Quota>listAll(io.quarkus.panache.common.Sort.by("key.scope").and("key.name")).stream()
                .map(q -> new Entry(q.key.scope, q.key.name, q.limits())).toList();
    }

    public Optional<QuotaLimits> find(String scope, String name) {
        return Optional.ofNullable(Quota.<Quota>findById(new Quota.Key(scope, name))).map(Quota::limits);
    }

    @Transactional
    public Entry put(String scope, String name, QuotaLimits limits, String by) {
        validate(scope, name);
        Quota q = Quota.findById(new Quota.Key(scope, name));
        if (q == null) {
            q = new Quota();
            q.key = new Quota.Key(scope, name);
            q.set(limits);
            q.updatedAt = Instant.now();
            q.updatedBy = by;
            q.persist();
        } else {
            q.set(limits);
            q.updatedAt = Instant.now();
            q.updatedBy = by;
        }
        return new Entry(scope, name, q.limits());
    }

    @Transactional
    public boolean delete(String scope, String name) {
        return Quota.deleteById(new Quota.Key(scope, name));
    }

    /** The limits that apply to {@code who}. */
    public QuotaLimits limitsFor(Requester who) {
        if (who.name() == null) {
            return QuotaLimits.NONE;
        }
        return find(USER, who.name()).or(() -> find(ROLE, who.quotaRole())).orElse(QuotaLimits.NONE);
    }

    /** Checks scope and name; the caller validates values (see {@link #problem(QuotaLimits)}). */
    public static void validate(String scope, String name) {
        if (!ROLE.equals(scope) && !USER.equals(scope)) {
            throw new IllegalArgumentException("scope: A quota's scope is 'role' or 'user', not '" + scope + "'.");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a role or user name.");
        }
    }

    /** The first invalid field of {@code l} as {@code field: message}, or null. */
    public static String problem(QuotaLimits l) {
        if (l.maxRunning() != null && l.maxRunning() < 0) {
            return "maxRunning: maxRunning must be 0 or more (null: unlimited).";
        }
        Long[] positive = {l.maxMemoryBytes(), l.maxNanoCpus(), l.maxPids(), l.totalMemoryBytes(), l.totalNanoCpus()};
        String[] names = {"maxMemoryBytes", "maxNanoCpus", "maxPids", "totalMemoryBytes", "totalNanoCpus"};
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] != null && positive[i] <= 0) {
                return names[i] + ": " + names[i] + " must be more than 0 (null: unlimited).";
            }
        }
        if (l.maxVolumeBytes() != null && l.maxVolumeBytes() < 0) {
            return "maxVolumeBytes: maxVolumeBytes must be 0 or more (null: unlimited).";
        }
        return null;
    }
}
