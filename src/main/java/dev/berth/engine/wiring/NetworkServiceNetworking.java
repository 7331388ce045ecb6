package dev.berth.engine.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;
import dev.berth.engine.container.ContainerNetworking;
import dev.berth.engine.container.LaunchRequest;
import dev.berth.engine.network.ContainerNetwork;
import dev.berth.engine.network.Endpoint;
import dev.berth.engine.network.Network;
import dev.berth.engine.network.NetworkMode;
import dev.berth.engine.network.NetworkRequest;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PortBinding;
import dev.berth.engine.network.PreparedNetwork;
import dev.berth.engine.network.Protocol;

/**
 * The container lifecycle's {@link ContainerNetworking} over the engine's {@link NetworkService}. It owns the one
 * mapping between the two vocabularies:
 * <ul>
 *   <li>ports: {@code container.PortBinding} is what a container spec asks for (host address "" = the network
 *       layer's default host address, host port 0 = any free one); {@code network.PortBinding} is what the
 *       network layer holds. {@link NetworkService} is the single source of truth for bound ports and addresses;
 *       the container layer asks {@link #describe} instead of keeping a copy.</li>
 *   <li>modes: the spec's network mode string is parsed by {@link NetworkMode#parse} (default/bridge, none, host,
 *       container:&lt;id or name&gt;, user network names); the runtime namespace follows from it (a new namespace
 *       for bridge modes, wired by the hook; the target container's namespace for {@code container:}).</li>
 * </ul>
 */
public final class NetworkServiceNetworking implements ContainerNetworking {

    private final NetworkService networks;

    public NetworkServiceNetworking(NetworkService networks) {
        this.networks = networks;
    }

    @Override
    public Prepared prepare(Request r) {
        NetworkMode mode = NetworkMode.parse(r.networkMode());
        String defaultIp = networks.config().defaultHostIp();
        List<PortBinding> ports = r.ports().stream().map(p -> toNetwork(p, defaultIp)).toList();
        PreparedNetwork prepared = networks.prepare(new NetworkRequest(r.containerId(), r.name(), r.hostname(), mode,
                r.aliases(), ports, List.of()));
        List<LaunchRequest.Bind> files = new ArrayList<>();
        prepared.files().forEach((inside, host) -> files.add(new LaunchRequest.Bind(host, inside, false)));
        try {
            Namespace namespace = switch (mode.kind()) {
                case BRIDGE -> Namespace.newWith(prepared.veths());
                case NONE -> Namespace.NONE;
                case HOST -> Namespace.HOST;
                case CONTAINER -> joinTarget(mode.target());
            };
            PreparedNetwork.BeforeExecHook hook = prepared.hook();
            return new Prepared(namespace, files, new ContainerNetworking.BeforeExec() {
                @Override
                public void run(long pid) {
                    hook.beforeExec(pid);
                }

                @Override
                public void run(long pid, String monitorNetwork) {
                    hook.beforeExec(pid, monitorNetwork);
                }
            });
        } catch (RuntimeException e) {
            networks.release(r.containerId());
            throw e;
        }
    }

    private Namespace joinTarget(String target) {
        ContainerNetwork t = networks.container(target).orElseThrow(() -> new EngineException(Reason.NOT_FOUND,
                "container_not_found", "Cannot join the network of container '" + target + "': it is not running. Start it first."));
        if (t.netns() == null) {
            throw new EngineException(Reason.CONFLICT, "network_mode_conflict", "Cannot join the network of container '"
                    + target + "': it uses network mode '" + t.mode() + "', which has no namespace of its own to share.");
        }
        return Namespace.join(Path.of(t.netns()));
    }

    @Override
    public void release(String containerId) {
        try {
            networks.release(containerId);
        } catch (EngineException e) {
            if (!"network_unavailable".equals(e.code())) {
                throw e;
            }
            // networking never came up: nothing was allocated
        }
    }

    @Override
    public List<String> restore(Collection<String> runningContainerIds) {
        return networks.restore(runningContainerIds);
    }

    @Override
    public Attached describe(String containerId) {
        Optional<ContainerNetwork> found = networks.container(containerId).filter(c -> c.containerId().equals(containerId));
        if (found.isEmpty()) {
            return Attached.NONE;
        }
        ContainerNetwork c = found.get();
        Map<String, String> gateways = new LinkedHashMap<>();
        for (Network n : networks.list()) {
            gateways.put(n.name(), n.gateway());
        }
        Map<String, Address> addresses = new LinkedHashMap<>();
        for (Endpoint e : c.endpoints()) {
            addresses.put(e.network(), new Address(e.ip(), gateways.getOrDefault(e.network(), ""), e.aliases()));
        }
        return new Attached(c.ports().stream().map(NetworkServiceNetworking::toContainer).toList(), addresses);
    }

    static PortBinding toNetwork(dev.berth.engine.container.PortBinding p, String defaultHostIp) {
        Protocol protocol = switch (p.protocol().toLowerCase()) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_port_binding", "Port " + p.containerPort()
                    + "/" + p.protocol() + " cannot be published: only tcp and udp ports can.");
        };
        String hostIp = p.hostIp().isEmpty() ? defaultHostIp : p.hostIp();
        return new PortBinding(hostIp, p.hostPort(), p.containerPort(), protocol);
    }

    static dev.berth.engine.container.PortBinding toContainer(PortBinding p) {
        return new dev.berth.engine.container.PortBinding(p.containerPort(), p.protocol().lower(), p.hostIp(), p.hostPort());
    }
}
