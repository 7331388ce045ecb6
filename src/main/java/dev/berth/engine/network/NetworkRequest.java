package dev.berth.engine.network;

import java.util.List;

/**
 * What a container asks of the network layer when it starts (Docker's {@code --network}, {@code
 * --network-alias}, {@code -p}, {@code --link}, {@code --hostname}).
 *
 * @param aliases extra names on the mode's network (user networks only)
 * @param ports   bindings as parsed by {@link PortSpecs}; host port 0 means "choose one"
 */
public record NetworkRequest(String containerId, String name, String hostname, NetworkMode mode,
        List<String> aliases, List<PortBinding> ports, List<Link> links) {

    public NetworkRequest {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
        links = links == null ? List.of() : List.copyOf(links);
        if (hostname == null || hostname.isBlank()) {
            hostname = containerId.substring(0, Math.min(12, containerId.length()));
        }
    }
}
