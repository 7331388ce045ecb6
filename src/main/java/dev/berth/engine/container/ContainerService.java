package dev.berth.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;
import dev.berth.engine.event.EngineEvent;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;

/**
 * The container lifecycle, modelled on Docker's: create, start, stop, kill, restart, pause, remove, wait,
 * rename, list, inspect, logs, stats, top and copying files. State lives on disk ({@link ContainerStore});
 * processes live in their monitors ({@link ProcessRuntime}), so a new service on the same root re-adopts the
 * containers that still run and applies restart policies to those that died meanwhile.
 */
public final class ContainerService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContainerService.class.getName());
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int DEFAULT_STOP_TIMEOUT = 10;
    private static final long STATS_MIN_SPACING_MILLIS = 100;
    private static final long STATS_MAX_AGE_MILLIS = 10_000;

    private final ContainerStore store;
    private final ImageSource images;
    private final ProcessRuntime runtime;
    private final VolumeService volumes;
    private final EngineEvents events;
    private final NameGenerator names = new NameGenerator();
    private final Map<String, Container> containers = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final Map<String, String> idsByName = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "berth-container-restarts");
        t.setDaemon(true);
        return t;
    });

    public ContainerService(Path engineRoot, ImageSource images, ProcessRuntime runtime, VolumeService volumes,
            EngineEvents events) {
        this.store = new ContainerStore(engineRoot);
        this.images = images;
        this.runtime = runtime;
        this.volumes = volumes;
        this.events = events;
        volumes.usage(this::containersUsingVolume);
        recover();
    }

    // ---------------------------------------------------------------- recovery

    /** Loads every stored container, re-adopts running ones, and applies restart policies to the dead. */
    private void recover() {
        List<Container> toRestart = new ArrayList<>();
        List<Container> unfinishedRemovals = new ArrayList<>();
        for (ContainerStore.Stored s : store.loadAll()) {
            Container c = new Container(s.config(), s.state());
            containers.put(c.id(), c);
            idsByName.put(c.config.name(), c.id());
            synchronized (c) {
                ContainerState st = c.state;
                if ("removing".equals(st.status)) {
                    unfinishedRemovals.add(c); // the engine stopped while removing it: finish the job
                    continue;
                }
                Optional<ContainerProcess> adopted = st.running() || "restarting".equals(st.status) || st.pid > 0
                        ? adoptQuietly(c) : Optional.empty();
                if (adopted.isPresent()) {
                    ContainerProcess p = adopted.get();
                    c.process = p;
                    st.pid = p.pid();
                    if ("restarting".equals(st.status) || "exited".equals(st.status) || "created".equals(st.status)) {
                        st.status = "running";
                    }
                    store.saveState(c.id(), st);
                    watch(c, p);
                } else if (st.running() || "restarting".equals(st.status)) {
                    ExitStatus exit = runtime.recordedExit(store.runtimeDir(c.id()))
                            .orElse(new ExitStatus(st.exitCode != 0 ? st.exitCode : 255, false, Instant.now()));
                    markExited(c, exit);
                    if (c.config.spec().restartPolicy().shouldRestart(exit.exitCode(), st.restartCount, st.stoppedByUser)) {
                        toRestart.add(c);
                    }
                } else if (st.wasRunning && c.config.spec().restartPolicy().restartsWithEngine(st.stoppedByUser)) {
                    toRestart.add(c);
                } else if ("exited".equals(st.status) && "always".equals(c.config.spec().restartPolicy().name())
                        && st.stoppedByUser && st.startedAt != null) {
                    // Docker: "always" restarts even a user-stopped container when the engine itself restarts
                    st.stoppedByUser = false;
                    toRestart.add(c);
                }
            }
        }
        for (Container c : toRestart) {
            synchronized (c) {
                scheduleRestart(c, Duration.ZERO);
            }
        }
        for (Container c : unfinishedRemovals) {
            synchronized (c) {
                c.state.status = "dead";
                c.process = adoptQuietly(c).orElse(null);
                if (c.process != null) {
                    watch(c, c.process);
                }
            }
            try {
                remove(c.id(), true, true);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not finish removing container " + c.id() + ": " + e.getMessage(), e);
            }
        }
    }

    private Optional<ContainerProcess> adoptQuietly(Container c) {
        try {
            return runtime.adopt(store.runtimeDir(c.id()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not re-adopt container " + c.id() + ": " + e.getMessage(), e);
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- create

    public ContainerInspect create(ContainerSpec spec) {
        SpecValidator.validate(spec);
        SourceImage image = images.resolve(spec.image()).orElseThrow(() -> new EngineException(Reason.NOT_FOUND,
                "image_not_found", "No such image: '" + spec.image() + "'. Pull it first (POST /api/images/pull) or check the name."));
        List<String> entrypoint = spec.entrypoint() != null ? spec.entrypoint() : image.entrypoint();
        List<String> cmd = spec.cmd() != null ? spec.cmd() : (spec.entrypoint() != null ? List.of() : image.cmd());
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw new SpecValidator.InvalidField("cmd", "No command to run: the image '" + spec.image()
                    + "' has neither ENTRYPOINT nor CMD, and the request sets neither 'cmd' nor 'entrypoint'.");
        }
        String id = ContainerId.generate();
        String name = reserveName(spec.name(), id);
        try {
            List<MountPoint> mounts = prepareMounts(spec, image);
            String hostname = spec.hostname() == null || spec.hostname().isBlank() ? ContainerId.shortId(id) : spec.hostname();
            ContainerConfig config = new ContainerConfig(id, name, Instant.now(), spec, image.id(), image.reference(), List.copyOf(args),
                    mergeEnv(image.env(), spec.env()),
                    spec.workingDir() == null || spec.workingDir().isEmpty() ? image.workingDir() : spec.workingDir(),
                    spec.user() == null || spec.user().isEmpty() ? image.user() : spec.user(), hostname, mounts);
            Container c = new Container(config, new ContainerState());
            store.create(config, c.state);
            containers.put(id, c);
            publish(c, "create", Map.of());
            return inspect(c);
        } catch (RuntimeException e) {
            idsByName.remove(name, id);
            throw e;
        }
    }

    private String reserveName(String requested, String id) {
        if (requested == null || requested.isEmpty()) {
            while (true) {
                String n = names.generate(idsByName::containsKey);
                if (idsByName.putIfAbsent(n, id) == null) {
                    return n;
                }
            }
        }
        String n = requested.startsWith("/") ? requested.substring(1) : requested;
        String holder = idsByName.putIfAbsent(n, id);
        if (holder != null) {
            throw new EngineException(Reason.CONFLICT, "name_in_use", "The container name '/" + n + "' is already in use by container "
                    + holder + ". Remove or rename that container, or choose another name.");
        }
        return n;
    }

    private List<MountPoint> prepareMounts(ContainerSpec spec, SourceImage image) {
        List<MountPoint> mounts = new ArrayList<>();
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        for (MountSpec m : spec.mounts()) {
            String target = SpecValidator.normalise(m.target());
            targets.add(target);
            if (m.isBind()) {
                mounts.add(new MountPoint("bind", null, m.source(), target, !m.readOnly(), false));
            } else {
                Volume v = m.isAnonymousVolume() ? volumes.createAnonymous() : volumes.getOrCreate(m.source());
                initialiseVolume(v, image, target);
                mounts.add(new MountPoint("volume", v.name(), v.mountpoint(), target, !m.readOnly(), m.isAnonymousVolume()));
            }
        }
        for (String declared : image.volumes()) {
            String target = SpecValidator.normalise(declared);
            if (targets.add(target)) {
                Volume v = volumes.createAnonymous();
                initialiseVolume(v, image, target);
                mounts.add(new MountPoint("volume", v.name(), v.mountpoint(), target, true, true));
            }
        }
        return mounts;
    }

    /** Docker: an empty volume is filled with the image's content at its mount point on first use. */
    private void initialiseVolume(Volume v, SourceImage image, String target) {
        Path data = Path.of(v.mountpoint());
        if (!Trees.isEmptyDirectory(data) || image.layers().isEmpty()) {
            return;
        }
        List<Path> topFirst = new ArrayList<>(image.layers());
        java.util.Collections.reverse(topFirst);
        LayeredRoot view = new LayeredRoot(topFirst, true);
        Optional<LayeredRoot.Entry> dir = view.resolve(target, true);
        if (dir.isEmpty() || !dir.get().isDirectory()) {
            return;
        }
        try {
            ArchiveCopier.copyTree(view, dir.get().path(), data);
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "volume_init_failed", "Could not copy the image's content at '" + target
                    + "' into volume '" + v.name() + "': " + e.getMessage(), e);
        }
    }

    static List<String> mergeEnv(List<String> image, List<String> request) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (List<String> list : List.of(image, request)) {
            for (String e : list) {
                int eq = e.indexOf('=');
                merged.put(eq < 0 ? e : e.substring(0, eq), e);
            }
        }
        if (!merged.containsKey("PATH")) {
            merged.put("PATH", DEFAULT_PATH);
        }
        return List.copyOf(merged.values());
    }

    // ---------------------------------------------------------------- start / exit / restart

    public void start(String idOrName) {
        Container c = get(idOrName);
        synchronized (c) {
            ContainerState st = c.state;
            switch (st.status) {
                case "running" -> {
                    return; // Docker answers 304: already started
                }
                case "paused" -> throw conflict(c, "container_paused", "is paused; unpause it instead of starting it");
                case "removing" -> throw conflict(c, "container_removing", "is being removed");
                default -> {
                }
            }
            cancelRestart(c);
            st.stoppedByUser = false;
            st.restartCount = 0;
            st.lastBackoffMillis = 0;
            launch(c);
        }
    }

    /** Starts the process; the caller holds the container's lock. */
    private void launch(Container c) {
        ContainerConfig cfg = c.config;
        ContainerSpec spec = cfg.spec();
        SourceImage image = images.resolve(cfg.imageId()).or(() -> images.resolve(cfg.imageRef()))
                .orElseThrow(() -> new EngineException(Reason.NOT_FOUND, "image_not_found", "The image " + cfg.imageRef()
                        + " (" + cfg.imageId() + ") of container " + cfg.name() + " is gone; pull it again or recreate the container."));
        List<LaunchRequest.Bind> binds = cfg.mounts().stream()
                .map(m -> new LaunchRequest.Bind(Path.of(m.source()), m.destination(), !m.rw())).toList();
        LaunchRequest request = new LaunchRequest(cfg.id(), store.runtimeDir(cfg.id()), image.layers(), store.upperDir(cfg.id()),
                store.workDir(cfg.id()), cfg.args(), cfg.env(), cfg.workingDir(), cfg.user(), cfg.hostname(), spec.tty(),
                spec.openStdin(), spec.limits(), binds, spec.networkMode());
        ContainerProcess p;
        try {
            p = runtime.start(request);
        } catch (RuntimeException e) {
            c.state.status = "exited";
            c.state.exitCode = 127;
            c.state.error = e.getMessage() == null ? e.toString() : e.getMessage();
            c.state.finishedAt = Instant.now();
            c.state.wasRunning = false;
            store.saveState(c.id(), c.state);
            throw e instanceof EngineException ee ? ee : new EngineException(Reason.INTERNAL, "start_failed",
                    "Container " + cfg.name() + " could not start: " + c.state.error, e);
        }
        ContainerState st = c.state;
        c.process = p;
        c.lastSample = null;
        st.status = "running";
        st.pid = p.pid();
        st.exitCode = 0;
        st.oomKilled = false;
        st.error = "";
        st.startedAt = Instant.now();
        st.finishedAt = null;
        st.wasRunning = true;
        store.saveState(c.id(), st);
        publish(c, "start", Map.of());
        watch(c, p);
    }

    private void watch(Container c, ContainerProcess p) {
        c.exitHandled = p.exit().handle((status, error) -> {
            ExitStatus s = status != null ? status : new ExitStatus(255, false, Instant.now());
            onExit(c, p, s);
            return null;
        });
    }

    private void onExit(Container c, ContainerProcess p, ExitStatus exit) {
        boolean remove = false;
        synchronized (c) {
            if (closed || c.process != p) {
                return;
            }
            c.process = null;
            markExited(c, exit);
            if ("removing".equals(c.state.status)) {
                return;
            }
            ContainerState st = c.state;
            RestartPolicy policy = c.config.spec().restartPolicy();
            if (policy.shouldRestart(exit.exitCode(), st.restartCount, st.stoppedByUser)) {
                Duration upFor = st.startedAt == null ? Duration.ZERO : Duration.between(st.startedAt, exit.finishedAt());
                Duration delay = RestartBackoff.next(Duration.ofMillis(st.lastBackoffMillis), upFor);
                if (upFor.compareTo(RestartBackoff.RESET_AFTER) >= 0 && "on-failure".equals(policy.name())) {
                    // a long healthy run is not a failure streak; Docker keeps counting retries, and so do we
                }
                st.lastBackoffMillis = delay.toMillis();
                scheduleRestart(c, delay);
            } else {
                st.wasRunning = false;
                store.saveState(c.id(), st);
                remove = c.config.spec().autoRemove();
            }
        }
        if (remove) {
            try {
                remove(c.id(), true, true);
            } catch (EngineException e) {
                LOG.log(Level.FINE, "Auto-remove of " + c.id() + ": " + e.getMessage());
            }
        }
    }

    private void markExited(Container c, ExitStatus exit) {
        ContainerState st = c.state;
        boolean removing = "removing".equals(st.status);
        st.status = removing ? "removing" : "exited";
        st.pid = 0;
        st.exitCode = exit.exitCode();
        st.oomKilled = exit.oomKilled();
        st.finishedAt = exit.finishedAt() == null ? Instant.now() : exit.finishedAt();
        store.saveState(c.id(), st);
        if (exit.oomKilled()) {
            publish(c, "oom", Map.of());
        }
        publish(c, "die", Map.of("exitCode", Integer.toString(exit.exitCode())));
        for (CompletableFuture<Integer> w : c.exitWaiters) {
            w.complete(exit.exitCode());
        }
        c.exitWaiters.clear();
    }

    /** Caller holds the lock. */
    private void scheduleRestart(Container c, Duration delay) {
        c.state.status = "restarting";
        c.state.wasRunning = true;
        store.saveState(c.id(), c.state);
        c.pendingRestart = scheduler.schedule(() -> {
            synchronized (c) {
                if (closed || !"restarting".equals(c.state.status) || c.state.stoppedByUser) {
                    return;
                }
                c.pendingRestart = null;
                c.state.restartCount++;
                try {
                    launch(c);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Restarting container " + c.config.name() + " failed: " + e.getMessage());
                    RestartPolicy policy = c.config.spec().restartPolicy();
                    if (policy.shouldRestart(127, c.state.restartCount, c.state.stoppedByUser)) {
                        Duration next = RestartBackoff.next(Duration.ofMillis(c.state.lastBackoffMillis), Duration.ZERO);
                        c.state.lastBackoffMillis = next.toMillis();
                        scheduleRestart(c, next);
                    }
                }
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelRestart(Container c) {
        if (c.pendingRestart != null) {
            c.pendingRestart.cancel(false);
            c.pendingRestart = null;
        }
    }

    // ---------------------------------------------------------------- stop / kill / restart / pause

    /** Sends the stop signal, waits up to {@code timeoutSeconds} (null: the container's or 10 s; -1: forever), then SIGKILL. */
    public void stop(String idOrName, Integer timeoutSeconds) {
        Container c = get(idOrName);
        CompletableFuture<Void> handled;
        ContainerProcess p;
        synchronized (c) {
            c.state.stoppedByUser = true;
            c.state.wasRunning = false;
            if ("restarting".equals(c.state.status)) {
                cancelRestart(c);
                c.state.status = "exited";
                store.saveState(c.id(), c.state);
                publish(c, "stop", Map.of());
                return;
            }
            store.saveState(c.id(), c.state);
            p = c.process;
            if (p == null) {
                return; // Docker answers 304: already stopped
            }
            handled = c.exitHandled;
            String stopSignal = c.config.spec().stopSignal();
            int signal = stopSignal == null || stopSignal.isEmpty() ? Signals.SIGTERM : Signals.parse(stopSignal);
            p.kill(signal);
            if ("paused".equals(c.state.status)) {
                p.resume();
                c.state.status = "running";
            }
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : c.config.spec().stopTimeout() != null ? c.config.spec().stopTimeout() : DEFAULT_STOP_TIMEOUT;
        if (!awaitExit(handled, timeout < 0 ? Long.MAX_VALUE : timeout * 1000L)) {
            p.kill(Signals.SIGKILL);
            if (!awaitExit(handled, 30_000)) {
                throw new EngineException(Reason.INTERNAL, "stop_failed", "Container " + c.config.name()
                        + " did not exit within 30 s of SIGKILL; its processes may be stuck in the kernel (D state).");
            }
        }
        publish(c, "stop", Map.of());
    }

    private static boolean awaitExit(CompletableFuture<Void> handled, long millis) {
        try {
            handled.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    public void kill(String idOrName, String signalText) {
        int signal = Signals.parse(signalText);
        Container c = get(idOrName);
        synchronized (c) {
            if (c.process == null) {
                throw conflict(c, "container_not_running", "is not running");
            }
            String stopSignal = c.config.spec().stopSignal();
            int stop = stopSignal == null || stopSignal.isEmpty() ? Signals.SIGTERM : Signals.parse(stopSignal);
            if (signal == Signals.SIGKILL || signal == stop) {
                c.state.stoppedByUser = true;
                store.saveState(c.id(), c.state);
            }
            c.process.kill(signal);
            publish(c, "kill", Map.of("signal", Integer.toString(signal)));
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds) {
        stop(idOrName, timeoutSeconds);
        start(idOrName);
        publish(get(idOrName), "restart", Map.of());
    }

    public void pause(String idOrName) {
        Container c = get(idOrName);
        synchronized (c) {
            if (!"running".equals(c.state.status) || c.process == null) {
                throw conflict(c, "container_not_running", "is " + c.state.status + ", not running; only running containers can be paused");
            }
            c.process.pause();
            c.state.status = "paused";
            store.saveState(c.id(), c.state);
            publish(c, "pause", Map.of());
        }
    }

    public void unpause(String idOrName) {
        Container c = get(idOrName);
        synchronized (c) {
            if (!"paused".equals(c.state.status) || c.process == null) {
                throw conflict(c, "container_not_paused", "is not paused");
            }
            c.process.resume();
            c.state.status = "running";
            store.saveState(c.id(), c.state);
            publish(c, "unpause", Map.of());
        }
    }

    // ---------------------------------------------------------------- remove / wait / rename

    /** Removes a container; a running one only with {@code force} (SIGKILL first). Anonymous volumes go with it when {@code volumes}. */
    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        Container c = get(idOrName);
        CompletableFuture<Void> handled;
        ContainerProcess p;
        synchronized (c) {
            if ("removing".equals(c.state.status)) {
                throw conflict(c, "container_removing", "is already being removed");
            }
            boolean active = c.process != null || "restarting".equals(c.state.status);
            if (active && !force) {
                throw conflict(c, "container_running", "is " + c.state.status + "; stop it first, or remove it with force");
            }
            cancelRestart(c);
            boolean paused = "paused".equals(c.state.status);
            c.state.status = "removing";
            store.saveState(c.id(), c.state);
            p = c.process;
            handled = c.exitHandled;
            if (p != null) {
                p.kill(Signals.SIGKILL);
                if (paused) {
                    p.resume(); // a frozen task only dies once thawed
                }
            }
        }
        if (p != null && !awaitExit(handled, 30_000)) {
            throw new EngineException(Reason.INTERNAL, "remove_failed", "Container " + c.config.name()
                    + " did not exit within 30 s of SIGKILL; try again later.");
        }
        runtime.cleanup(store.runtimeDir(c.id()));
        store.delete(c.id());
        containers.remove(c.id());
        idsByName.remove(c.config.name(), c.id());
        publish(c, "destroy", Map.of());
        if (removeVolumes) {
            for (MountPoint m : c.config.mounts()) {
                if (m.anonymous() && m.name() != null) {
                    try {
                        volumes.remove(m.name(), false);
                    } catch (EngineException e) {
                        LOG.log(Level.FINE, "Keeping volume " + m.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        c.removed.complete(c.state.exitCode);
    }

    /** Docker's wait: {@code not-running} (default), {@code next-exit} or {@code removed}; completes with the exit code. */
    public CompletableFuture<Integer> waitFor(String idOrName, String condition) {
        Container c = get(idOrName);
        String cond = condition == null || condition.isBlank() ? "not-running" : condition;
        synchronized (c) {
            switch (cond) {
                case "removed":
                    return c.removed.copy();
                case "not-running":
                    if (c.process == null && !"restarting".equals(c.state.status)) {
                        return CompletableFuture.completedFuture(c.state.exitCode);
                    }
                    // fall through: wait for the next exit
                case "next-exit":
                    CompletableFuture<Integer> f = new CompletableFuture<>();
                    c.exitWaiters.add(f);
                    return f;
                default:
                    throw new SpecValidator.InvalidField("condition", "Unknown wait condition '" + condition
                            + "'; use not-running, next-exit or removed.");
            }
        }
    }

    public void rename(String idOrName, String newName) {
        SpecValidator.validateName(newName);
        Container c = get(idOrName);
        String n = newName.startsWith("/") ? newName.substring(1) : newName;
        synchronized (c) {
            String old = c.config.name();
            if (old.equals(n)) {
                return;
            }
            String holder = idsByName.putIfAbsent(n, c.id());
            if (holder != null) {
                throw new EngineException(Reason.CONFLICT, "name_in_use", "The container name '/" + n
                        + "' is already in use by container " + holder + ". Choose another name.");
            }
            c.config = c.config.withName(n);
            store.saveConfig(c.config);
            idsByName.remove(old, c.id());
            publish(c, "rename", Map.of("oldName", "/" + old));
        }
    }

    // ---------------------------------------------------------------- queries

    public ContainerInspect inspect(String idOrName) {
        return inspect(get(idOrName));
    }

    /** The id of a container named by id, id prefix or name; NOT_FOUND otherwise. */
    public String resolveId(String idOrName) {
        return get(idOrName).id();
    }

    public List<ContainerSummary> list(ContainerFilters filters) {
        List<ContainerSummary> result = new ArrayList<>();
        for (Container c : containers.values()) {
            ContainerConfig cfg = c.config;
            ContainerState st;
            synchronized (c) {
                st = c.state.copy();
            }
            if (filters.matches(cfg, st)) {
                result.add(new ContainerSummary(cfg.id(), cfg.name(), cfg.spec().image(), cfg.imageId(), String.join(" ", cfg.args()),
                        cfg.created(), st.status, statusText(st), cfg.spec().labels(), cfg.spec().portBindings(), cfg.mounts()));
            }
        }
        result.sort(Comparator.comparing(ContainerSummary::created).reversed());
        return result;
    }

    public void logs(String idOrName, LogQuery query, LogSink sink) {
        Container c = get(idOrName);
        runtime.readLogs(store.runtimeDir(c.id()), query, sink);
    }

    /**
     * A stats snapshot. The CPU percentage is computed against the previous call's sample when it is 0.1-10 s old
     * (a stream of calls, one per second), else against a fresh sample taken 200 ms before.
     */
    public ContainerStats stats(String idOrName) {
        Container c = get(idOrName);
        ContainerProcess p;
        ProcessStats previous;
        synchronized (c) {
            p = requireRunning(c);
            previous = c.lastSample;
        }
        long age = previous == null ? Long.MAX_VALUE : Duration.between(previous.read(), Instant.now()).toMillis();
        if (age > STATS_MAX_AGE_MILLIS) {
            previous = p.stats(); // no recent sample: take two, spaced, as Docker's one-shot stats do
            sleep(STATS_MIN_SPACING_MILLIS * 2);
        } else if (age < STATS_MIN_SPACING_MILLIS) {
            sleep(STATS_MIN_SPACING_MILLIS - age); // too close to the last sample to measure anything
        }
        ProcessStats now = p.stats();
        synchronized (c) {
            c.lastSample = now;
        }
        return ContainerStats.between(c.id(), c.config.name(), previous, now);
    }

    public TopResult top(String idOrName, List<String> psArgs) {
        Container c = get(idOrName);
        ContainerProcess p;
        synchronized (c) {
            p = requireRunning(c);
        }
        return p.top(psArgs);
    }

    /** Writes {@code path} inside the container as a tar stream; links are resolved inside its root. */
    public void copyOut(String idOrName, String path, OutputStream out) {
        Container c = get(idOrName);
        Optional<MountedPath> mounted = stoppedMount(c, path);
        if (mounted.isPresent()) {
            ArchiveCopier.copyOut(new LayeredRoot(List.of(mounted.get().source()), false), mounted.get().path(), out,
                    mounted.get().name());
        } else {
            ArchiveCopier.copyOut(filesystem(c), path, out);
        }
    }

    /** A path inside a volume or bind mount of a container that is not running: the mount's host dir and the rest. */
    private record MountedPath(Path source, String path, String name) {
    }

    private static Optional<MountedPath> stoppedMount(Container c, String path) {
        synchronized (c) {
            if (c.process != null) {
                return Optional.empty(); // a running container's own view (/proc/<pid>/root) includes its mounts
            }
        }
        String normal = "/" + String.join("/", LayeredRoot.split(path));
        MountPoint best = null;
        for (MountPoint m : c.config.mounts()) {
            String d = m.destination();
            if ((normal.equals(d) || normal.startsWith(d + "/")) && (best == null || d.length() > best.destination().length())
                    && java.nio.file.Files.isDirectory(Path.of(m.source()))) {
                best = m;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String rest = normal.substring(best.destination().length());
        return Optional.of(new MountedPath(Path.of(best.source()), rest.isEmpty() ? "/" : rest,
                Path.of(best.destination()).getFileName().toString()));
    }

    /** Extracts a tar stream into the existing directory {@code dir} inside the container. */
    public void copyIn(String idOrName, String dir, InputStream in) {
        Container c = get(idOrName);
        long pid;
        synchronized (c) {
            pid = c.process == null ? 0 : c.process.pid();
        }
        if (pid > 0) {
            Path live = Path.of("/proc", Long.toString(pid), "root");
            ArchiveCopier.copyIn(new LayeredRoot(List.of(live), false), live, dir, in);
        } else {
            Optional<MountedPath> mounted = stoppedMount(c, dir);
            if (mounted.isPresent()) {
                Path source = mounted.get().source();
                ArchiveCopier.copyIn(new LayeredRoot(List.of(source), false), source, mounted.get().path(), in);
            } else {
                ArchiveCopier.copyIn(filesystem(c), store.upperDir(c.id()), dir, in);
            }
        }
    }

    private LayeredRoot filesystem(Container c) {
        long pid;
        synchronized (c) {
            pid = c.process == null ? 0 : c.process.pid();
        }
        if (pid > 0) {
            return new LayeredRoot(List.of(Path.of("/proc", Long.toString(pid), "root")), false);
        }
        List<Path> topFirst = new ArrayList<>();
        topFirst.add(store.upperDir(c.id()));
        SourceImage image = images.resolve(c.config.imageId()).or(() -> images.resolve(c.config.imageRef()))
                .orElseThrow(() -> new EngineException(Reason.NOT_FOUND, "image_not_found", "The image of container "
                        + c.config.name() + " is gone; its files cannot be read while it is stopped."));
        List<Path> layers = new ArrayList<>(image.layers());
        java.util.Collections.reverse(layers);
        topFirst.addAll(layers);
        return new LayeredRoot(topFirst, true);
    }

    /** Ids of containers (any state) created from an image id; what an ImageUsage adapter answers. */
    public List<String> containersUsingImage(String imageId) {
        return containers.values().stream().filter(c -> c.config.imageId().equals(imageId)).map(Container::id).toList();
    }

    /** Ids of containers (any state) that mount a volume. */
    public List<String> containersUsingVolume(String volumeName) {
        return containers.values().stream()
                .filter(c -> c.config.mounts().stream().anyMatch(m -> volumeName.equals(m.name())))
                .map(Container::id).toList();
    }

    /** The running process of a container (for attach and exec: {@code process.unwrap(RunningProcess.class)}). */
    public Optional<ContainerProcess> process(String idOrName) {
        Container c = get(idOrName);
        synchronized (c) {
            return Optional.ofNullable(c.process);
        }
    }

    /** The runtime directory (monitor sockets, logs) of a container, for attach and exec adapters. */
    public Path runtimeDir(String idOrName) {
        return store.runtimeDir(get(idOrName).id());
    }

    /**
     * Lets go of the containers: no more restarts, exits are no longer recorded (a new service on the same root
     * adopts the running containers and learns how the others ended). Running containers keep running.
     */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    // ---------------------------------------------------------------- helpers

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ContainerProcess requireRunning(Container c) {
        if (c.process == null) {
            throw conflict(c, "container_not_running", "is " + c.state.status + "; start it first");
        }
        return c.process;
    }

    private Container get(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            throw new EngineException(Reason.NOT_FOUND, "container_not_found", "No container named: give a container id or name.");
        }
        String key = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        Container c = containers.get(key);
        if (c != null) {
            return c;
        }
        String byName = idsByName.get(key);
        if (byName != null && containers.containsKey(byName)) {
            return containers.get(byName);
        }
        if (ContainerId.isPrefix(key)) {
            List<Container> matches = containers.values().stream().filter(x -> x.id().startsWith(key)).toList();
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new EngineException(Reason.INVALID_ARGUMENT, "ambiguous_container", "The id prefix '" + key
                        + "' matches " + matches.size() + " containers; give more characters.");
            }
        }
        throw new EngineException(Reason.NOT_FOUND, "container_not_found", "No such container: '" + idOrName
                + "'. List containers with GET /api/containers?all=true.");
    }

    private ContainerInspect inspect(Container c) {
        ContainerConfig cfg = c.config;
        ContainerState st;
        synchronized (c) {
            st = c.state.copy();
        }
        ContainerSpec spec = cfg.spec();
        List<String> binds = cfg.mounts().stream().filter(m -> "bind".equals(m.type()))
                .map(m -> m.source() + ":" + m.destination() + (m.rw() ? "" : ":ro")).toList();
        return new ContainerInspect(cfg.id(), "/" + cfg.name(), cfg.created(), cfg.path(), cfg.argsAfterPath(),
                new ContainerInspect.State(st.status, st.running(), "paused".equals(st.status), "restarting".equals(st.status),
                        st.oomKilled, "dead".equals(st.status), st.pid, st.exitCode, st.error, st.startedAt, st.finishedAt),
                cfg.imageId(), cfg.imageRef(), st.restartCount,
                new ContainerInspect.Config(cfg.hostname(), cfg.user(), spec.tty(), spec.openStdin(), cfg.env(),
                        spec.cmd() != null ? spec.cmd() : cfg.argsAfterPath(), spec.entrypoint(), spec.image(), cfg.workingDir(),
                        spec.labels(), spec.stopSignal(), spec.stopTimeout()),
                new ContainerInspect.HostConfig(spec.limits().memory(), spec.limits().nanoCpus(), spec.limits().pidsLimit(),
                        new ContainerInspect.HostConfig.RestartPolicy(spec.restartPolicy().name(), spec.restartPolicy().maximumRetryCount()),
                        spec.autoRemove(), spec.networkMode(), spec.portBindings(), binds),
                cfg.mounts().stream().map(m -> new ContainerInspect.Mount(m.type(), m.name(), m.source(), m.destination(),
                        "volume".equals(m.type()) ? "local" : "", m.rw())).toList());
    }

    private static String statusText(ContainerState st) {
        return switch (st.status) {
            case "running" -> "Up since " + st.startedAt;
            case "paused" -> "Up since " + st.startedAt + " (Paused)";
            case "restarting" -> "Restarting (" + st.exitCode + ")";
            case "exited" -> "Exited (" + st.exitCode + ")" + (st.finishedAt == null ? "" : " at " + st.finishedAt);
            case "created" -> "Created";
            default -> st.status;
        };
    }

    private void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put("name", c.config.name());
        attributes.put("image", c.config.spec().image());
        events.publish(new EngineEvent("container", action, c.id(), attributes, Instant.now()));
    }

    private static EngineException conflict(Container c, String code, String what) {
        return new EngineException(Reason.CONFLICT, code, "Container " + c.config.name() + " (" + ContainerId.shortId(c.id()) + ") " + what + ".");
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
