package dev.berth.workspace;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.container.PortBinding;
import dev.berth.engine.container.ResourceLimits;
import dev.berth.engine.network.PortSpecs;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.terminal.AttachedProcessSource;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Workspaces: create (behind the {@link CapacityGuard}), run template containers in them, keep them alive on
 * activity, and remove them with their containers when their time-to-live runs out ({@link #sweep()}).
 *
 * <p>Activity is cheap to record: REST calls on a workspace container touch an in-memory timestamp; terminal
 * traffic is noticed by the sweep comparing each workspace terminal's output sequence with the previous sweep's
 * (typed keys echo, so input counts too). Timestamps reach PostgreSQL once per sweep, only when they moved.
 */
public final class WorkspaceService {
    /** The engine label that puts a container in a workspace. */
    public static final String LABEL = "dev.berth.workspace";
    /** The owner label of the ownership contract (the web layer sets it; workspace containers are created here). */
    public static final String OWNER_LABEL = "dev.berth.owner";

    /** The removal reason of the reaper (listeners audit it as {@code workspace.expire}). */
    public static final String EXPIRED = "expired";

    private static final Logger LOG = Logger.getLogger(WorkspaceService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ContainerService containers;
    private final TerminalRegistry terminals;
    private final CapacityGuard guard;
    private final Clock clock;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final ConcurrentMap<String, LiveWorkspace> live = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> workspaceOfContainer = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Long> lastSequence = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<LiveWorkspace, String>> removalListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public WorkspaceService(ContainerService containers, TerminalRegistry terminals, CapacityGuard guard, Clock clock,
            Duration minTtl, Duration maxTtl) {
        this.containers = containers;
        this.terminals = terminals;
        this.guard = guard;
        this.clock = clock;
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
    }

    /** Reloads workspaces from the database and finds their containers by label (at start). */
    public void load() {
        List<Workspace> rows = QuarkusTransaction.requiringNew().call(() -> Workspace.<Workspace>listAll());
        for (Workspace w : rows) {
            live.put(w.id, new LiveWorkspace(w.id, w.owner, w.displayName, w.classId, Duration.ofSeconds(w.ttlSeconds),
                    w.createdAt, w.lastActivityAt));
        }
        Map<String, List<String>> filter = new HashMap<>();
        filter.put("label", List.of(LABEL));
        for (ContainerSummary c : containers.list(new ContainerFilters(true, filter))) {
            String ws = c.labels().get(LABEL);
            LiveWorkspace w = ws == null ? null : live.get(ws);
            if (w == null) {
                LOG.warning("container " + c.id() + " is labelled for workspace " + ws + ", which does not exist; "
                        + "left alone (remove it, or it stays until someone does)");
                continue;
            }
            w.addContainer(c.id());
            workspaceOfContainer.put(c.id(), w.id());
        }
    }

    /** Called with the workspace and the reason after a workspace was removed. */
    public void onRemoved(java.util.function.BiConsumer<LiveWorkspace, String> listener) {
        removalListeners.add(listener);
    }

    public CapacityGuard guard() {
        return guard;
    }

    public CapacityGuard.Capacity capacity() {
        return guard.capacity(live.size());
    }

    /**
     * A new, empty workspace.
     *
     * @throws CapacityGuard.HostFull when the host is full
     * @throws IllegalArgumentException when the TTL is outside the allowed range
     */
    public LiveWorkspace create(String owner, String displayName, Long classId, Duration ttl, long memoryBytes) {
        checkTtl(ttl);
        synchronized (this) {
            guard.check(live.size(), memoryBytes);
            Instant now = clock.instant();
            Workspace w = new Workspace();
            w.id = "ws-" + HexFormat.of().formatHex(randomBytes(6));
            w.owner = owner;
            w.displayName = displayName == null || displayName.isBlank() ? owner : displayName.strip();
            w.classId = classId;
            w.ttlSeconds = ttl.toSeconds();
            w.createdAt = now;
            w.lastActivityAt = now;
            w.memoryBytes = memoryBytes;
            QuarkusTransaction.requiringNew().run(w::persist);
            LiveWorkspace lw = new LiveWorkspace(w.id, w.owner, w.displayName, classId, ttl, now, now);
            live.put(lw.id(), lw);
            return lw;
        }
    }

    /** @throws IllegalArgumentException when {@code ttl} is outside berth.workspace.min-ttl .. max-ttl */
    public void checkTtl(Duration ttl) {
        if (ttl.compareTo(minTtl) < 0 || ttl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("A workspace lives " + minTtl.toSeconds() + " to " + maxTtl.toSeconds()
                    + " seconds without activity (berth.workspace.min-ttl, max-ttl), not " + ttl.toSeconds() + ".");
        }
    }

    /**
     * Creates and starts a container from {@code template} in {@code workspace} (with a TTY, stdin open) and opens
     * its shared terminal, owned by the workspace's owner. Returns the terminal (id == container id).
     */
    public TerminalHub run(LiveWorkspace workspace, WorkspaceTemplate template) {
        Map<String, String> labels = Map.of(LABEL, workspace.id(), OWNER_LABEL, workspace.owner());
        List<PortBinding> ports = new ArrayList<>();
        for (String p : template.ports()) {
            for (dev.berth.engine.network.PortBinding b : PortSpecs.parse(p, "")) {
                ports.add(new PortBinding(b.containerPort(), b.protocol().lower(), b.hostIp(), b.hostPort()));
            }
        }
        ContainerSpec spec = ContainerSpec.builder(template.image())
                .name(workspace.id() + "-" + HexFormat.of().formatHex(randomBytes(3)))
                .cmd(template.cmd())
                .tty(true)
                .openStdin(true)
                .labels(labels)
                .limits(new ResourceLimits(template.memoryBytes(), template.nanoCpus(), template.pidsLimit()))
                .portBindings(ports)
                .build();
        String id = containers.create(spec).Id();
        workspace.addContainer(id);
        workspaceOfContainer.put(id, workspace.id());
        try {
            containers.start(id);
            RunningProcess process = containers.process(id).flatMap(p -> p.unwrap(RunningProcess.class))
                    .orElseThrow(() -> new IllegalStateException("container " + id + " stopped right after it started"));
            synchronized (terminals) {
                Optional<TerminalHub> open = terminals.find(id).filter(h -> !h.hasExited());
                if (open.isPresent()) return open.get();
                return terminals.open(id, workspace.owner(), new AttachedProcessSource(process, true), 100, 30);
            }
        } catch (java.io.IOException | RuntimeException e) {
            removeContainer(id);
            workspace.removeContainer(id);
            workspaceOfContainer.remove(id);
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("could not attach to the terminal of container " + id + ": " + e.getMessage(), e);
        }
    }

    /** The terminal of a workspace container, opening it if the container runs and it isn't open. */
    public Optional<TerminalHub> terminalOf(String containerId, String owner) {
        Optional<TerminalHub> open = terminals.find(containerId).filter(h -> !h.hasExited());
        if (open.isPresent()) return open;
        Optional<RunningProcess> process = containers.process(containerId).flatMap(p -> p.unwrap(RunningProcess.class));
        if (process.isEmpty() || !process.get().tty()) return Optional.empty();
        synchronized (terminals) {
            open = terminals.find(containerId).filter(h -> !h.hasExited());
            if (open.isPresent()) return open;
            try {
                return Optional.of(terminals.open(containerId, owner, new AttachedProcessSource(process.get(), true), 100, 30));
            } catch (java.io.IOException | IllegalStateException e) {
                return terminals.find(containerId);
            }
        }
    }

    public Optional<LiveWorkspace> find(String id) {
        return Optional.ofNullable(live.get(id));
    }

    public Collection<LiveWorkspace> all() {
        return List.copyOf(live.values());
    }

    public List<LiveWorkspace> ofClass(long classId) {
        return live.values().stream().filter(w -> w.classId() != null && w.classId() == classId).toList();
    }

    /** The workspace a container belongs to (in memory, cheap). */
    public Optional<LiveWorkspace> ofContainer(String containerId) {
        String ws = containerId == null ? null : workspaceOfContainer.get(containerId);
        return ws == null ? Optional.empty() : Optional.ofNullable(live.get(ws));
    }

    /** Activity on a workspace: its time-to-live starts again. */
    public void touch(String workspaceId) {
        LiveWorkspace w = live.get(workspaceId);
        if (w != null) w.touch(clock.instant());
    }

    /** Activity on a container: touches its workspace, if it has one. Cheap: a map lookup. */
    public void touchContainer(String containerIdOrPrefix) {
        ofContainer(containerIdOrPrefix).ifPresent(w -> w.touch(clock.instant()));
    }

    /**
     * One reaper pass: notices terminal traffic since the last pass, writes moved activity timestamps, and removes
     * the workspaces whose time-to-live ran out. Returns the ids it removed.
     */
    public List<String> sweep() {
        Instant now = clock.instant();
        for (LiveWorkspace w : live.values()) {
            for (String c : w.containers()) {
                terminals.find(c).ifPresent(hub -> {
                    long seq = hub.sequence();
                    Long before = lastSequence.put(c, seq);
                    if (before != null && before != seq) w.touch(now);
                });
            }
        }
        List<String> expired = new ArrayList<>();
        for (LiveWorkspace w : live.values()) {
            if (!now.isBefore(w.expiresAt())) {
                expired.add(w.id());
            } else if (w.activityUnsaved()) {
                Instant at = w.lastActivity();
                try {
                    QuarkusTransaction.requiringNew().run(() ->
                            Workspace.update("lastActivityAt = ?1 where id = ?2", at, w.id()));
                    w.activitySaved(at);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "could not save the activity of workspace " + w.id(), e);
                }
            }
        }
        for (String id : expired) remove(id, EXPIRED);
        return expired;
    }

    /** Stops and removes a workspace's containers, closes their terminals and deletes the workspace. */
    public boolean remove(String id, String reason) {
        LiveWorkspace w = live.get(id);
        if (w == null) return false;
        Map<String, List<String>> filter = new HashMap<>();
        filter.put("label", List.of(LABEL + "=" + id));
        java.util.Set<String> ids = new java.util.HashSet<>(w.containers());
        try {
            for (ContainerSummary c : containers.list(new ContainerFilters(true, filter))) ids.add(c.id());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not list the containers of workspace " + id, e);
        }
        for (String c : ids) {
            terminals.close(c, "workspace " + id + " " + reason);
            removeContainer(c);
            workspaceOfContainer.remove(c);
            lastSequence.remove(c);
        }
        QuarkusTransaction.requiringNew().run(() -> Workspace.deleteById(id));
        live.remove(id);
        for (var l : removalListeners) {
            try {
                l.accept(w, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a workspace removal listener failed", e);
            }
        }
        return true;
    }

    private void removeContainer(String containerId) {
        try {
            containers.remove(containerId, true, true);
        } catch (EngineException e) {
            if (e.reason() != EngineException.Reason.NOT_FOUND) {
                LOG.log(Level.WARNING, "could not remove container " + containerId + " of a workspace: " + e.getMessage(), e);
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
