package dev.berth.engine.network;

import java.io.Closeable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * The network layer's one entry point: networks (create, list, inspect, remove, connect, disconnect) and the
 * life of a container's networking.
 *
 * <p>How the container layer uses it:
 * <ol>
 *   <li>engine start: {@link #restore(Collection)} with the ids of containers still running;</li>
 *   <li>container start: {@link #prepare(NetworkRequest)}, bind-mount {@link PreparedNetwork#files()} and pass
 *       {@link PreparedNetwork#hook()} as the runtime's BeforeExec callback (network mode NEW for bridge and
 *       none, HOST for host, JOIN({@code /proc/<pid>/ns/net} of the target) for {@code container:});</li>
 *   <li>container stop (or exit) and remove: {@link #release(String)} (idempotent).</li>
 * </ol>
 *
 * <p>All methods are serialized on this object: network changes are rare and short (a few forks of
 * {@code ip}/{@code nft}), and one lock keeps state file, kernel and port reservations consistent.
 */
public final class NetworkService implements Closeable {

    private static final System.Logger LOG = System.getLogger(NetworkService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetworkConfig config;
    private final NetworkState store;
    private final ContainerFiles files;
    private final PortReservations reservations = new PortReservations();
    private final RuleWriter rules = new RuleWriter();
    private final List<Network> networks = new ArrayList<>();
    private final List<ContainerNetwork> containers = new ArrayList<>();
    /** Host veths of released containers that the kernel has not (yet) deleted along with their namespace. */
    private final Set<String> lingering = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final long SWEEP_DELAY_MS = 2000;
    private static final java.util.concurrent.ScheduledExecutorService SWEEPER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "berth-veth-sweeper");
                t.setDaemon(true);
                return t;
            });
    private boolean restored;
    private String unavailable = "restore(...) has not run yet";

    public NetworkService(NetworkConfig config) {
        this.config = config;
        this.store = new NetworkState(config.stateDir());
        this.files = new ContainerFiles(config.stateDir());
    }

    public NetworkConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- engine start

    /**
     * Brings kernel state back in line with the persisted state at engine start: the default network exists,
     * every bridge is up, containers that are no longer running are forgotten (their ports and addresses
     * freed), running containers keep their addresses and get their published ports bound again, and the
     * nftables table is rewritten. Returns warnings (e.g. a port a host process took while Berth was down).
     */
    public synchronized List<String> restore(Collection<String> runningContainerIds) {
        try {
            return doRestore(runningContainerIds);
        } catch (EngineException e) {
            unavailable = e.getMessage();
            throw e;
        }
    }

    private List<String> doRestore(Collection<String> runningContainerIds) {
        NetworkState.Snapshot s = store.load();
        networks.clear();
        networks.addAll(s.networks());
        containers.clear();
        reservations.close();
        List<String> warnings = new ArrayList<>();
        if (findNetwork(NetworkMode.DEFAULT_NETWORK).isEmpty()) {
            Subnet subnet = freeSubnet();
            networks.add(0, new Network(newId(), NetworkMode.DEFAULT_NETWORK, config.defaultBridge(), subnet.toString(),
                    subnet.gateway(), true, Instant.now()));
        }
        for (Network n : networks) {
            Bridges.ensure(n.bridge(), n.parsedSubnet());
        }
        Set<String> running = new HashSet<>(runningContainerIds);
        for (ContainerNetwork c : s.containers()) {
            if (!running.contains(c.containerId())) {
                for (Endpoint e : c.endpoints()) {
                    Bridges.removeVeth(e.hostVeth());
                }
                files.delete(c.containerId());
                continue;
            }
            for (PortBinding p : c.ports()) {
                try {
                    reservations.reserve(p);
                } catch (EngineException e) {
                    warnings.add("Container " + c.name() + ": " + e.getMessage());
                }
            }
            containers.add(c);
        }
        restored = true;
        persist();
        rules.await(rules.request(render()));
        for (ContainerNetwork c : containers) {
            if (c.mode().kind() != NetworkMode.Kind.CONTAINER) {
                files.writeHosts(c, hostsLines(c));
            }
        }
        warnings.forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
        return warnings;
    }

    /**
     * {@link #restore(Collection)} for a caller that does not know which containers run: a container counts
     * as running when the network namespace recorded at attach time still exists and is not the host's. The
     * container layer should prefer the explicit form (a recycled pid could fool this one).
     */
    public synchronized List<String> restore() {
        List<String> alive = new ArrayList<>();
        for (ContainerNetwork c : store.load().containers()) {
            String netns = c.netns();
            if (c.mode().kind() == NetworkMode.Kind.CONTAINER) {
                alive.add(c.containerId());
            } else if (netns != null) {
                try {
                    refuseHostNamespace(netns);
                    alive.add(c.containerId());
                } catch (EngineException gone) {
                    // stopped while the engine was down
                }
            }
        }
        return restore(alive);
    }

    // ---------------------------------------------------------------- networks

    public synchronized Network create(String name, String subnetCidr) {
        return create(name, subnetCidr, java.util.Map.of());
    }

    /** Creates a network carrying {@code labels} (the web layer records the owner there). */
    public synchronized Network create(String name, String subnetCidr, java.util.Map<String, String> labels) {
        checkRestored();
        if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}")) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_network_name",
                    "Network name '" + name + "' is invalid: use letters, digits, '_', '.' or '-', starting with a letter or digit.");
        }
        if (Set.of("bridge", "none", "host", "default").contains(name)) {
            throw new EngineException(Reason.CONFLICT, "network_name_reserved",
                    "Network name '" + name + "' is reserved for a built-in network mode; choose another name.");
        }
        if (findNetwork(name).isPresent()) {
            throw new EngineException(Reason.CONFLICT, "network_exists",
                    "A network named '" + name + "' already exists; remove it first or choose another name.");
        }
        Subnet subnet;
        if (subnetCidr == null || subnetCidr.isBlank()) {
            subnet = freeSubnet();
        } else {
            subnet = Subnet.parse(subnetCidr);
            for (Network n : networks) {
                if (n.parsedSubnet().overlaps(subnet)) {
                    throw new EngineException(Reason.CONFLICT, "subnet_in_use",
                            "Subnet " + subnet + " overlaps " + n.subnet() + " of network '" + n.name() + "'; choose another subnet.");
                }
            }
        }
        String id = newId();
        Network n = new Network(id, name, config.namePrefix() + "-" + id.substring(0, 8), subnet.toString(),
                subnet.gateway(), false, Instant.now(), labels);
        Bridges.ensure(n.bridge(), subnet);
        networks.add(n);
        persist();
        applyRules();
        return n;
    }

    public synchronized List<Network> list() {
        checkRestored();
        return List.copyOf(networks);
    }

    public synchronized NetworkDetails inspect(String nameOrId) {
        checkRestored();
        Network n = network(nameOrId);
        List<NetworkDetails.Member> members = new ArrayList<>();
        for (ContainerNetwork c : containers) {
            Endpoint e = c.endpoint(n.name());
            if (e != null) {
                members.add(new NetworkDetails.Member(c.containerId(), c.name(), e.ip(), e.aliases()));
            }
        }
        return new NetworkDetails(n, members);
    }

    public synchronized void remove(String nameOrId) {
        checkRestored();
        Network n = network(nameOrId);
        if (n.builtin()) {
            throw new EngineException(Reason.CONFLICT, "network_builtin",
                    "Network '" + n.name() + "' is built in and cannot be removed.");
        }
        List<String> users = containers.stream().filter(c -> c.endpoint(n.name()) != null).map(ContainerNetwork::name).toList();
        if (!users.isEmpty()) {
            throw new EngineException(Reason.CONFLICT, "network_in_use",
                    "Network '" + n.name() + "' is in use by " + String.join(", ", users)
                            + "; disconnect or stop those containers first.");
        }
        networks.remove(n);
        persist();
        applyRules();
        Bridges.remove(n.bridge());
    }

    /** Connects a container that {@link #prepare prepared} its networking to one more network. */
    public synchronized Endpoint connect(String nameOrId, String containerRef, List<String> aliases) {
        checkRestored();
        Network n = network(nameOrId);
        ContainerNetwork c = container(containerRef).orElseThrow(() -> noContainer(containerRef));
        if (c.mode().kind() != NetworkMode.Kind.BRIDGE) {
            throw new EngineException(Reason.CONFLICT, "network_mode_conflict",
                    "Container " + c.name() + " uses network mode '" + c.mode() + "' and cannot join network '" + n.name() + "'.");
        }
        if (c.endpoint(n.name()) != null) {
            throw new EngineException(Reason.CONFLICT, "already_connected",
                    "Container " + c.name() + " is already connected to network '" + n.name() + "'.");
        }
        Endpoint e = newEndpoint(c.containerId(), n, aliases, "eth" + nextInterface(c));
        List<Endpoint> endpoints = new ArrayList<>(c.endpoints());
        endpoints.add(e);
        ContainerNetwork updated = c.withEndpoints(endpoints);
        if (c.netns() != null) {
            plug(c.netns(), List.of(e), endpoints.size() == 1);
        }
        replace(c, updated);
        persist();
        refreshHosts();
        return e;
    }

    public synchronized void disconnect(String nameOrId, String containerRef) {
        checkRestored();
        Network n = network(nameOrId);
        ContainerNetwork c = container(containerRef).orElseThrow(() -> noContainer(containerRef));
        Endpoint e = c.endpoint(n.name());
        if (e == null) {
            throw new EngineException(Reason.NOT_FOUND, "not_connected",
                    "Container " + c.name() + " is not connected to network '" + n.name() + "'.");
        }
        Bridges.removeVeth(e.hostVeth());
        List<Endpoint> endpoints = new ArrayList<>(c.endpoints());
        endpoints.remove(e);
        replace(c, c.withEndpoints(endpoints));
        persist();
        if (!c.ports().isEmpty()) {
            rules.request(render());
        }
        refreshHosts();
    }

    // ---------------------------------------------------------------- containers

    /**
     * Allocates addresses and binds published ports for a container about to start, writes its hosts,
     * resolv.conf and hostname files, and returns them with the hook that wires the namespace. A conflict
     * (port held by another container or a host process), an unknown network or an invalid request fails here,
     * before anything is started. Calling it again for the same container first releases the previous state.
     */
    public synchronized PreparedNetwork prepare(NetworkRequest r) {
        checkRestored();
        if (container(r.containerId()).filter(c -> c.containerId().equals(r.containerId())).isPresent()) {
            release(r.containerId());
        }
        NetworkMode mode = r.mode();
        switch (mode.kind()) {
            case HOST -> {
                // Docker discards published ports in host mode: the container binds host ports itself.
                ContainerNetwork c = new ContainerNetwork(r.containerId(), r.name(), r.hostname(), mode, List.of(), List.of(), List.of(), null);
                containers.add(c);
                persist();
                files.writeAll(c, List.of(), true);
                return new PreparedNetwork(files.files(c.containerId()), List.of(), List.of(), List.of(), pid -> { });
            }
            case CONTAINER -> {
                rejectPorts(r);
                ContainerNetwork target = container(mode.target()).orElseThrow(() -> new EngineException(Reason.NOT_FOUND,
                        "container_not_found", "Cannot join the network of container '" + mode.target()
                                + "': it is not running. Start it first."));
                ContainerNetwork c = new ContainerNetwork(r.containerId(), r.name(), r.hostname(),
                        new NetworkMode(NetworkMode.Kind.CONTAINER, target.containerId()), List.of(), List.of(), List.of(), null);
                containers.add(c);
                persist();
                return new PreparedNetwork(files.files(target.containerId()), List.of(), target.endpoints(), List.of(), pid -> { });
            }
            case NONE -> {
                rejectPorts(r);
                ContainerNetwork c = new ContainerNetwork(r.containerId(), r.name(), r.hostname(), mode, List.of(), List.of(), List.of(), null);
                containers.add(c);
                persist();
                files.writeAll(c, List.of(), false);
                String id = r.containerId();
                return new PreparedNetwork(files.files(id), List.of(), List.of(), List.of(), pid -> attach(id, netnsOf(pid)));
            }
            default -> {
                return prepareBridge(r);
            }
        }
    }

    private PreparedNetwork prepareBridge(NetworkRequest r) {
        Network n = network(r.mode().target());
        if (n.builtin() && !r.aliases().isEmpty()) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "aliases_on_default_network",
                    "Network aliases need a user-defined network; the default network '" + n.name()
                            + "' does not resolve names. Create one with POST /api/networks.");
        }
        for (Link l : r.links()) {
            if (container(l.target()).filter(t -> t.mode().kind() == NetworkMode.Kind.BRIDGE).isEmpty()) {
                throw new EngineException(Reason.NOT_FOUND, "link_target_not_found",
                        "Cannot link to container '" + l.target() + "': it is not running on a bridge network.");
            }
        }
        List<PortBinding> bound = bindPorts(r);
        try {
            // the bridge must exist before the runtime's monitor plugs the veth into it
            Bridges.ensure(n.bridge(), n.parsedSubnet());
            Endpoint e = newEndpoint(r.containerId(), n, r.aliases(), "eth0");
            ContainerNetwork c = new ContainerNetwork(r.containerId(), r.name(), r.hostname(), r.mode(), List.of(e),
                    bound, r.links(), null);
            containers.add(c);
            persist();
            files.writeAll(c, hostsLines(c), false);
            refreshHosts();
            String id = r.containerId();
            // The DNAT rules can go in before the container exists (its address is known): nft runs while the
            // runtime creates the namespaces, and the hook only waits for it at the end.
            long generation = bound.isEmpty() ? 0 : rules.request(render(), NftRules.elements(config.nftTable(), c, true));
            // The runtime's monitor creates the veth itself (rtnetlink, no ip processes) and reports how it went.
            return new PreparedNetwork(files.files(id), bound, List.of(e), List.of(vethSpec(e, n, true)),
                    new PreparedNetwork.BeforeExecHook() {
                        @Override
                        public void beforeExec(long pid) {
                            beforeExec(pid, null);
                        }

                        @Override
                        public void beforeExec(long pid, String monitorNetwork) {
                            attach(id, netnsOf(pid), monitorNetwork);
                            rules.await(generation);
                        }
                    });
        } catch (RuntimeException e) {
            bound.forEach(reservations::release);
            throw e;
        }
    }

    /**
     * Wires a prepared container's network namespace: veth pairs onto the bridges, addresses, default route,
     * loopback up, then the published ports' DNAT rules. The runtime calls this through the hook; tests call it
     * with a namespace of their own ({@code /run/netns/NAME}).
     */
    public void attach(String containerId, String netnsPath) {
        attach(containerId, netnsPath, null);
    }

    /**
     * {@link #attach(String, String)} after the runtime's monitor was asked to create the container's veths
     * ({@link PreparedNetwork#veths()}): {@code "ok"} means it did and only the bookkeeping is left; {@code "error
     * <message>"} means it could not, and the {@code ip} path does the work (both reasons are reported if that fails
     * too); null means it was not asked.
     */
    public synchronized void attach(String containerId, String netnsPath, String monitorNetwork) {
        ContainerNetwork c = containers.stream().filter(x -> x.containerId().equals(containerId)).findFirst()
                .orElseThrow(() -> new EngineException(Reason.NOT_FOUND, "container_not_prepared",
                        "Container " + containerId + " has no prepared network; call prepare first."));
        if ("ok".equals(monitorNetwork)) {
            // the monitor created the veth directly in the container's fresh namespace: nothing is left to wire
        } else if (c.mode().kind() == NetworkMode.Kind.NONE) {
            refuseHostNamespace(netnsPath);
            HostCommands.ipBatchIn(netnsPath, "link set lo up\n", "bring up loopback of container " + c.name());
        } else if (monitorNetwork == null) {
            refuseHostNamespace(netnsPath);
            plug(netnsPath, c.endpoints(), true);
        } else {
            String why = monitorNetwork.startsWith("error ") ? monitorNetwork.substring(6) : monitorNetwork;
            LOG.log(System.Logger.Level.WARNING, "The container monitor could not create the veth of container "
                    + c.name() + " (" + why + "); falling back to ip.");
            try {
                refuseHostNamespace(netnsPath);
                plug(netnsPath, c.endpoints(), true);
            } catch (EngineException e) {
                throw new EngineException(Reason.INTERNAL, "network_setup_failed", "Could not wire the network of container "
                        + c.name() + ": the monitor said: " + why + "; the ip fallback said: " + e.getMessage()
                        + " Check that the bridge exists and that Berth runs as root (CAP_NET_ADMIN).", e);
            }
        }
        replace(c, c.withNetns(netnsPath));
        persist();
    }

    /** Frees everything a container holds: ports, addresses, veths, rules, files. Call on stop and on remove. */
    public synchronized void release(String containerId) {
        checkRestored();
        ContainerNetwork c = containers.stream().filter(x -> x.containerId().equals(containerId)).findFirst().orElse(null);
        if (c == null) {
            return;
        }
        // The kernel deletes the veth pair when the container's namespace dies (its last process exited), so
        // there is nothing to run here; a sweep deletes it a little later if it is still there (e.g. a release
        // while the process runs on). The host port itself is free at once (its socket is closed here).
        for (Endpoint e : c.endpoints()) {
            lingering.add(e.hostVeth());
            SWEEPER.schedule(() -> sweep(e.hostVeth(), 0), SWEEP_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        containers.remove(c);
        c.ports().forEach(reservations::release);
        persist();
        if (!c.ports().isEmpty()) {
            rules.request(render(), NftRules.elements(config.nftTable(), c, false));
        }
        if (c.mode().kind() != NetworkMode.Kind.CONTAINER) {
            files.delete(containerId);
        }
        refreshHosts();
    }

    /** A container by id, unique id prefix or name, among those with prepared networking. */
    public synchronized Optional<ContainerNetwork> container(String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        for (ContainerNetwork c : containers) {
            if (c.containerId().equals(ref) || ref.equals(c.name())) {
                return Optional.of(c);
            }
        }
        List<ContainerNetwork> byPrefix = containers.stream().filter(c -> c.containerId().startsWith(ref)).toList();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    /**
     * The address a port link or another consumer reaches the container at: its first network's address, or
     * that of the container whose namespace it joined. Empty for none/host modes and unknown containers.
     */
    public synchronized Optional<String> addressOf(String ref) {
        Optional<ContainerNetwork> c = container(ref);
        if (c.isPresent() && c.get().mode().kind() == NetworkMode.Kind.CONTAINER) {
            c = container(c.get().mode().target());
        }
        return c.filter(x -> !x.endpoints().isEmpty() && x.netns() != null).map(x -> x.endpoints().get(0).ip());
    }

    /** Closes the port reservations; kernel state stays, as containers outlive the engine process. */
    @Override
    public void close() {
        rules.drain();
        store.flush();
        synchronized (this) {
            reservations.close();
        }
    }

    /** Waits until background work (rule updates after a release, veth removal) is done. */
    public void settle() {
        rules.drain();
        for (String veth : List.copyOf(lingering)) {
            sweep(veth, 1000);
        }
    }

    /** Deletes a released container's host veth unless the kernel does so within {@code waitMillis}. */
    private void sweep(String hostVeth, long waitMillis) {
        if (!lingering.remove(hostVeth)) {
            return;
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (Bridges.exists(hostVeth) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Bridges.removeVeth(hostVeth);
    }

    /**
     * Removes every bridge, veth, rule and state file of this instance's prefix. For tests and uninstall; a
     * running engine never calls it.
     */
    public void teardown() {
        settle();
        synchronized (this) {
            teardownNow();
        }
    }

    private void teardownNow() {
        for (ContainerNetwork c : containers) {
            c.endpoints().forEach(e -> Bridges.removeVeth(e.hostVeth()));
            files.delete(c.containerId());
        }
        reservations.close();
        containers.clear();
        NftRules.remove(config.nftTable());
        for (Network n : networks) {
            Bridges.remove(n.bridge());
        }
        networks.clear();
        persist();
        store.flush();
    }

    /** The nftables rule set currently rendered (for tests and diagnostics). */
    public synchronized String rules() {
        return render();
    }

    // ---------------------------------------------------------------- internals

    private List<PortBinding> bindPorts(NetworkRequest r) {
        List<PortBinding> bound = new ArrayList<>();
        try {
            for (PortBinding p : r.ports()) {
                if (p.hostPort() != 0) {
                    for (ContainerNetwork other : containers) {
                        for (PortBinding q : other.ports()) {
                            if (q.clashesWith(p)) {
                                throw new EngineException(Reason.CONFLICT, "port_in_use",
                                        "Host port " + p.hostIp() + ":" + p.hostPort() + "/" + p.protocol().lower()
                                                + " is already published by container '" + other.name() + "' (" + q
                                                + "). Choose another host port or stop that container.");
                            }
                        }
                    }
                    for (PortBinding q : bound) {
                        if (q.clashesWith(p)) {
                            throw new EngineException(Reason.CONFLICT, "port_in_use",
                                    "Host port " + p.hostPort() + "/" + p.protocol().lower() + " is published twice in this request.");
                        }
                    }
                }
                bound.add(reservations.reserve(p));
            }
            return bound;
        } catch (RuntimeException e) {
            bound.forEach(reservations::release);
            throw e;
        }
    }

    private static void rejectPorts(NetworkRequest r) {
        if (!r.ports().isEmpty()) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "ports_need_network",
                    "Published ports need a bridge or user network; network mode '" + r.mode()
                            + "' has no network of its own. Remove the port bindings or change the network mode.");
        }
    }

    private void plug(String netns, List<Endpoint> endpoints, boolean setDefaultRoute) {
        StringBuilder host = new StringBuilder();
        StringBuilder inside = new StringBuilder("link set lo up\n");
        for (Endpoint e : endpoints) {
            Network n = network(e.network());
            Bridges.ensure(n.bridge(), n.parsedSubnet());
            Bridges.removeVeth(e.hostVeth());
            host.append(Bridges.vethCommands(e.hostVeth(), e.interfaceName(), netns, n.bridge()));
            inside.append("addr add ").append(e.ip()).append('/').append(n.parsedSubnet().prefix())
                    .append(" dev ").append(e.interfaceName()).append('\n');
            inside.append("link set ").append(e.interfaceName()).append(" address ").append(mac(e.ip())).append(" up\n");
        }
        if (setDefaultRoute && !endpoints.isEmpty()) {
            inside.append("route replace default via ").append(network(endpoints.get(0).network()).gateway()).append('\n');
        }
        HostCommands.ipBatch(host.toString(), "create the veth pair of " + netns);
        HostCommands.ipBatchIn(netns, inside.toString(), "configure the interfaces inside " + netns);
    }

    /** The monitor's {@code veth} spec value for an endpoint (engine-native/PROTOCOL.md). */
    static String vethSpec(Endpoint e, Network n, boolean defaultRoute) {
        return "host=" + e.hostVeth() + " bridge=" + n.bridge() + " name=" + e.interfaceName() + " addr=" + e.ip() + "/"
                + n.parsedSubnet().prefix() + (defaultRoute ? " gw=" + n.gateway() : "") + " mac=" + mac(e.ip());
    }

    /** Docker's scheme: 02:42 and the four bytes of the address, unique per network and stable across restarts. */
    static String mac(String ip) {
        StringBuilder b = new StringBuilder("02:42");
        for (String part : ip.split("\\.")) {
            b.append(':').append(String.format("%02x", Integer.parseInt(part)));
        }
        return b.toString();
    }

    private Endpoint newEndpoint(String containerId, Network n, List<String> aliases, String ifName) {
        Subnet s = n.parsedSubnet();
        Set<String> used = new HashSet<>();
        for (ContainerNetwork c : containers) {
            Endpoint e = c.endpoint(n.name());
            if (e != null) {
                used.add(e.ip());
            }
        }
        for (long i = 2; i < s.size() - 1; i++) {
            String ip = s.address(i);
            if (!used.contains(ip)) {
                return new Endpoint(n.name(), ip, aliases == null ? List.of() : List.copyOf(aliases),
                        vethName(), ifName);
            }
        }
        throw new EngineException(Reason.INSUFFICIENT_STORAGE, "network_full",
                "Network '" + n.name() + "' (" + n.subnet() + ") has no free address left; create a larger network.");
    }

    private static int nextInterface(ContainerNetwork c) {
        int max = -1;
        for (Endpoint e : c.endpoints()) {
            max = Math.max(max, Integer.parseInt(e.interfaceName().substring(3)));
        }
        return max + 1;
    }

    /**
     * A fresh random host-side name per endpoint: a veth deleted in the background can never be confused with
     * the one of the container's next start.
     */
    private String vethName() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return config.namePrefix() + "v" + HexFormat.of().formatHex(b);
    }

    /** The hosts entries of a container: itself, peers on its user networks, and legacy links. */
    private List<String> hostsLines(ContainerNetwork c) {
        List<String> lines = new ArrayList<>();
        if (!c.endpoints().isEmpty()) {
            lines.add(c.endpoints().get(0).ip() + "\t" + c.hostname());
        }
        for (Endpoint e : c.endpoints()) {
            Network n = findNetwork(e.network()).orElse(null);
            if (n == null || n.builtin()) {
                continue;
            }
            for (ContainerNetwork peer : containers) {
                Endpoint pe = peer.endpoint(n.name());
                if (pe == null || peer == c) {
                    continue;
                }
                Set<String> names = new LinkedHashSet<>();
                names.add(peer.name());
                names.addAll(pe.aliases());
                names.add(peer.containerId().substring(0, Math.min(12, peer.containerId().length())));
                lines.add(pe.ip() + "\t" + String.join(" ", names));
            }
        }
        for (Link l : c.links()) {
            container(l.target()).ifPresent(t -> {
                Endpoint te = sharedOrFirst(c, t);
                if (te != null) {
                    lines.add(te.ip() + "\t" + l.alias() + (l.alias().equals(t.name()) ? "" : " " + t.name()));
                }
            });
        }
        return lines;
    }

    private static Endpoint sharedOrFirst(ContainerNetwork c, ContainerNetwork t) {
        for (Endpoint e : c.endpoints()) {
            Endpoint te = t.endpoint(e.network());
            if (te != null) {
                return te;
            }
        }
        return t.endpoints().isEmpty() ? null : t.endpoints().get(0);
    }

    private void refreshHosts() {
        for (ContainerNetwork c : containers) {
            if (c.mode().kind() == NetworkMode.Kind.BRIDGE) {
                files.writeHosts(c, hostsLines(c));
            }
        }
    }

    private Subnet freeSubnet() {
        Subnet pool = config.pool();
        long step = 1L << (32 - config.subnetPrefix());
        for (long base = pool.base(); base < pool.base() + pool.size(); base += step) {
            Subnet candidate = new Subnet(base, config.subnetPrefix());
            if (networks.stream().noneMatch(n -> n.parsedSubnet().overlaps(candidate))) {
                return candidate;
            }
        }
        throw new EngineException(Reason.INSUFFICIENT_STORAGE, "address_pool_exhausted",
                "No free /" + config.subnetPrefix() + " subnet is left in the pool " + pool
                        + "; remove unused networks or configure a larger pool.");
    }

    private Network network(String nameOrId) {
        return findNetwork(nameOrId).orElseThrow(() -> new EngineException(Reason.NOT_FOUND, "network_not_found",
                "Network '" + nameOrId + "' does not exist; list networks with GET /api/networks or create it."));
    }

    private Optional<Network> findNetwork(String nameOrId) {
        if (nameOrId == null) {
            return Optional.empty();
        }
        for (Network n : networks) {
            if (n.name().equals(nameOrId) || n.id().equals(nameOrId)) {
                return Optional.of(n);
            }
        }
        List<Network> byPrefix = networks.stream().filter(n -> nameOrId.length() >= 6 && n.id().startsWith(nameOrId)).toList();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    private void replace(ContainerNetwork old, ContainerNetwork updated) {
        containers.set(containers.indexOf(old), updated);
    }

    private void persist() {
        store.save(new NetworkState.Snapshot(List.copyOf(networks), List.copyOf(containers)));
    }

    /** Applies the current rules and waits (network create/remove: rare, and the caller expects them in force). */
    private void applyRules() {
        rules.await(rules.request(render()));
    }

    private String render() {
        return NftRules.render(config.nftTable(), networks, containers);
    }

    private void checkRestored() {
        if (!restored) {
            throw new EngineException(Reason.INTERNAL, "network_unavailable",
                    "Container networking is not available: " + unavailable + ".");
        }
    }

    private static EngineException noContainer(String ref) {
        return new EngineException(Reason.NOT_FOUND, "container_not_found",
                "Container '" + ref + "' is not running (or has no network); start it first.");
    }

    /**
     * A guard worth its one stat: wiring "eth0" into the host's own namespace (a pid read before the process
     * entered its namespace) would break the host's networking.
     */
    private static void refuseHostNamespace(String netnsPath) {
        try {
            Object target = java.nio.file.Files.getAttribute(java.nio.file.Path.of(netnsPath), "unix:ino");
            Object own = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self/ns/net"), "unix:ino");
            if (target.equals(own)) {
                throw new EngineException(Reason.INTERNAL, "host_namespace",
                        "Refusing to configure " + netnsPath + ": it is the host's own network namespace, not a container's.");
            }
        } catch (java.io.IOException e) {
            throw new EngineException(Reason.NOT_FOUND, "netns_not_found",
                    "The network namespace " + netnsPath + " does not exist (did the container exit?): " + e.getMessage(), e);
        }
    }

    private static String netnsOf(long pid) {
        return "/proc/" + pid + "/ns/net";
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
