package dev.berth.web.quota;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerInspect;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;
import dev.berth.ownership.Owners;
import dev.berth.ownership.Requester;
import dev.berth.quota.QuotaLimits;
import dev.berth.quota.QuotaRules;
import dev.berth.quota.QuotaService;
import dev.berth.quota.QuotaUsage;

/**
 * Enforces quotas where containers are created and started and volumes are created. Starts of one user are
 * serialized (check, then start), so two parallel starts cannot both pass the last free slot.
 */
@ApplicationScoped
public class QuotaGuard {
    @Inject
    QuotaService quotas;
    @Inject
    ContainerService containers;
    @Inject
    VolumeService volumes;

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public QuotaLimits limits(Requester who) {
        return quotas.limitsFor(who);
    }

    /** The per-container limits a new container of {@code who} gets (defaults from the quota), checked. */
    public QuotaRules.ContainerLimits forCreate(Requester who, QuotaRules.ContainerLimits asked) {
        QuotaLimits q = limits(who);
        QuotaRules.ContainerLimits effective = QuotaRules.withDefaults(q, asked);
        QuotaRules.checkContainer(q, effective);
        return effective;
    }

    /** Runs {@code start} (which starts {@code containerId}) when the owner's quota allows one more running container. */
    public <T> T start(Requester who, String containerId, Supplier<T> start) {
        ContainerInspect c = containers.inspect(containerId);
        if (c.State().Running()) {
            return start.get(); // already running (restart of a running container): nothing more is taken
        }
        // the container's owner pays, whoever starts it (an admin starting a user's container)
        String owner = Owners.of(c.Config().Labels());
        Requester payer = owner == null || owner.equals(who.name()) ? who : ownerAsRequester(owner, who);
        QuotaLimits q = limits(payer);
        if (q.unlimited() || payer.name() == null) {
            return start.get();
        }
        synchronized (locks.computeIfAbsent(payer.name(), k -> new Object())) {
            QuotaRules.checkStart(q, usage(payer.name(), q.maxVolumeBytes() != null),
                    new QuotaRules.ContainerLimits(c.HostConfig().Memory(), c.HostConfig().NanoCpus(), c.HostConfig().PidsLimit()));
            return start.get();
        }
    }

    /** A new volume for {@code who}. */
    public void forNewVolume(Requester who) {
        QuotaLimits q = limits(who);
        if (q.maxVolumeBytes() != null) {
            QuotaRules.checkNewVolume(q, usage(who.name(), true).volumeBytes());
        }
    }

    private Requester ownerAsRequester(String owner, Requester starter) {
        // the owner's role is not known here without the account store; the user quota or the 'user' role applies
        return new Requester(owner, java.util.Set.of(dev.berth.account.User.findByUsername(owner)
                .map(u -> u.role.id()).orElse("user")));
    }

    /** Running containers of {@code user} and their limits; with {@code volumes}, the disk their volumes use. */
    public QuotaUsage usage(String user, boolean withVolumes) {
        int running = 0;
        long memory = 0;
        long cpus = 0;
        for (ContainerSummary s : containers.list(new ContainerFilters(true, Map.of()))) {
            if (!user.equals(Owners.of(s.labels()))) {
                continue;
            }
            try {
                ContainerInspect c = containers.inspect(s.id());
                if (c.State().Running() || c.State().Paused() || c.State().Restarting()) {
                    running++;
                    memory += c.HostConfig().Memory();
                    cpus += c.HostConfig().NanoCpus();
                }
            } catch (EngineException gone) {
                // removed meanwhile
            }
        }
        long disk = 0;
        if (withVolumes) {
            for (Volume v : volumes.list()) {
                if (user.equals(volumeOwner(v))) {
                    disk += diskUsage(Path.of(v.mountpoint()));
                }
            }
        }
        return new QuotaUsage(running, memory, cpus, disk);
    }

    private String volumeOwner(Volume v) {
        String owner = Owners.of(v.labels());
        if (owner != null || !v.anonymous()) {
            return owner;
        }
        for (String id : volumes.usedBy(v.name())) {
            try {
                String o = Owners.of(containers.inspect(id).Config().Labels());
                if (o != null) {
                    return o;
                }
            } catch (EngineException gone) {
                // removed meanwhile
            }
        }
        return null;
    }

    /**
     * Bytes of the regular files under {@code dir} (allocated blocks are not visible to Java; sizes are). The
     * containers using the volume may create and delete files while it is walked: what vanishes, or cannot be read,
     * is skipped and the rest still counts.
     */
    static long diskUsage(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // deleted meanwhile, or unreadable
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    return FileVisitResult.CONTINUE; // a directory that went away while it was listed
                }
            });
        } catch (IOException e) {
            // the visitor swallows every per-file failure; nothing else throws
        }
        return total[0];
    }
}
