package dev.berth.engine.network;

import java.util.List;

/**
 * What the network layer holds for one container between start and stop, persisted so that an engine
 * restart keeps addresses and published ports of running containers.
 *
 * @param netns     the network namespace file once attached ({@code /proc/<pid>/ns/net}), else null
 */
public record ContainerNetwork(String containerId, String name, String hostname, NetworkMode mode,
        List<Endpoint> endpoints, List<PortBinding> ports, List<Link> links, String netns) {

    public ContainerNetwork withEndpoints(List<Endpoint> e) {
        return new ContainerNetwork(containerId, name, hostname, mode, e, ports, links, netns);
    }

    public ContainerNetwork withNetns(String path) {
        return new ContainerNetwork(containerId, name, hostname, mode, endpoints, ports, links, path);
    }

    public Endpoint endpoint(String network) {
        return endpoints.stream().filter(e -> e.network().equals(network)).findFirst().orElse(null);
    }
}
