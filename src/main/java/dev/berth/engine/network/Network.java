package dev.berth.engine.network;

import java.time.Instant;

/**
 * A network: one Linux bridge with one subnet. The default network is named "bridge" (as Docker's) and
 * gives no name resolution; user networks resolve container names and aliases of their members.
 */
public record Network(String id, String name, String bridge, String subnet, String gateway, boolean builtin,
        Instant created) {

    public Subnet parsedSubnet() {
        return Subnet.parse(subnet);
    }
}
