package dev.berth.engine.network;

import java.time.Instant;
import java.util.Map;

/**
 * A network: one Linux bridge with one subnet. The default network is named "bridge" (as Docker's) and
 * gives no name resolution; user networks resolve container names and aliases of their members.
 */
public record Network(String id, String name, String bridge, String subnet, String gateway, boolean builtin,
        Instant created, Map<String, String> labels) {

    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A network without labels (state files written before labels existed read as this). */
    public Network(String id, String name, String bridge, String subnet, String gateway, boolean builtin, Instant created) {
        this(id, name, bridge, subnet, gateway, builtin, created, Map.of());
    }

    public Subnet parsedSubnet() {
        return Subnet.parse(subnet);
    }
}
