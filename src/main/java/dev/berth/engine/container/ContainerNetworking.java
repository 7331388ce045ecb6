package dev.berth.engine.container;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the container lifecycle needs from the network layer, and nothing more: the container package never
 * sees bridges, veths or nftables. The engine's network layer implements it through an adapter
 * ({@code dev.berth.engine.wiring.NetworkServiceNetworking}); {@link #ISOLATED} serves engines without one.
 *
 * <p>Life of a container's networking: {@link #prepare} before every start (addresses, published ports, the
 * files to bind-mount), the {@link Prepared#beforeExec} hook once the namespaces exist, {@link #release} when
 * the process exits or the container is removed, {@link #restore} once at engine start.
 */
public interface ContainerNetworking {

    /** Allocates what a container about to start needs; fails (CONFLICT, NOT_FOUND...) before anything runs. */
    Prepared prepare(Request request);

    /** Frees the ports, addresses and files of a container. Idempotent; never throws for an unknown container. */
    void release(String containerId);

    /** Engine start: running containers keep their ports and addresses, the rest is freed. Returns warnings. */
    List<String> restore(Collection<String> runningContainerIds);

    /** The bound ports and addresses of a container whose networking is prepared; {@link Attached#NONE} otherwise. */
    Attached describe(String containerId);

    /**
     * @param networkMode Docker's {@code --network}: {@code default}/{@code bridge}, {@code none}, {@code host},
     *                    {@code container:<id or name>} or the name of a user network
     * @param ports       requested bindings; host port 0 means "any free port"
     */
    record Request(String containerId, String name, String hostname, String networkMode, List<PortBinding> ports,
            List<String> aliases) {
        public Request {
            ports = ports == null ? List.of() : List.copyOf(ports);
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    /**
     * What to start the container with: which network namespace, which files to bind-mount (e.g. /etc/hosts), and a
     * hook the runtime calls with the host pid of the container's init before the user's process execs.
     */
    record Prepared(Namespace namespace, List<LaunchRequest.Bind> files, BeforeExec beforeExec) {
        public Prepared {
            Objects.requireNonNull(namespace, "namespace");
            files = files == null ? List.of() : List.copyOf(files);
            beforeExec = beforeExec == null ? pid -> { } : beforeExec;
        }
    }

    /**
     * The network namespace a container process gets. {@code join} is set only for {@link Kind#JOIN}. {@code veths}
     * (NEW only) are opaque to the container layer: interfaces the runtime's monitor creates in the new namespace
     * itself (values of its spec key {@code veth}); the hook then learns how that went.
     */
    record Namespace(Kind kind, Path join, List<String> veths) {
        public enum Kind { NEW, NONE, HOST, JOIN }

        public Namespace {
            veths = veths == null ? List.of() : List.copyOf(veths);
        }

        public Namespace(Kind kind, Path join) {
            this(kind, join, List.of());
        }

        public static Namespace newWith(List<String> veths) {
            return new Namespace(Kind.NEW, null, veths);
        }

        public static final Namespace NEW = new Namespace(Kind.NEW, null);
        public static final Namespace NONE = new Namespace(Kind.NONE, null);
        public static final Namespace HOST = new Namespace(Kind.HOST, null);

        public static Namespace join(Path netns) {
            return new Namespace(Kind.JOIN, Objects.requireNonNull(netns, "netns"));
        }
    }

    /** Runs between namespace creation and the user's exec; throwing aborts the start. */
    @FunctionalInterface
    interface BeforeExec {
        void run(long hostPidOfInit) throws Exception;

        /** With the monitor's report on {@link Namespace#veths()}: null (none asked), "ok" or "error <message>". */
        default void run(long hostPidOfInit, String monitorNetwork) throws Exception {
            run(hostPidOfInit);
        }
    }

    /**
     * A container's live networking: published ports with the host ports actually held, and its address on each
     * network (network name to address and aliases).
     */
    record Attached(List<PortBinding> ports, Map<String, Address> networks) {
        public static final Attached NONE = new Attached(List.of(), Map.of());

        public Attached {
            ports = ports == null ? List.of() : List.copyOf(ports);
            networks = networks == null ? Map.of() : Map.copyOf(networks);
        }

        /** The first network's address, Docker's {@code NetworkSettings.IPAddress}; empty when there is none. */
        public String primaryAddress() {
            return networks.values().stream().findFirst().map(Address::ip).orElse("");
        }
    }

    record Address(String ip, String gateway, List<String> aliases) {
        public Address {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }
    }

    /**
     * No network layer: each container gets the namespace its mode names (a fresh one with loopback only for
     * bridge modes), no published ports, no files. For engines and tests that run without bridges.
     */
    ContainerNetworking ISOLATED = new ContainerNetworking() {
        @Override
        public Prepared prepare(Request request) {
            String mode = request.networkMode() == null ? "default" : request.networkMode();
            return new Prepared(switch (mode) {
                case "none" -> Namespace.NONE;
                case "host" -> Namespace.HOST;
                default -> Namespace.NEW;
            }, List.of(), null);
        }

        @Override
        public void release(String containerId) {
        }

        @Override
        public List<String> restore(Collection<String> runningContainerIds) {
            return List.of();
        }

        @Override
        public Attached describe(String containerId) {
            return Attached.NONE;
        }
    };
}
