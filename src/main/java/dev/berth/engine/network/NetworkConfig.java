package dev.berth.engine.network;

import java.nio.file.Path;

/**
 * Settings of the network layer.
 *
 * @param stateDir      where networks, endpoints and published ports are persisted ({@code <engine-root>/network})
 * @param namePrefix    prefix of every bridge, veth and nftables table Berth creates (default "berth": bridge
 *                      {@code berth0}, table {@code ip berth}); tests use their own prefix so they never clash
 * @param pool          where subnets of new networks are taken from (default 172.30.0.0/16)
 * @param subnetPrefix  size of each allocated subnet (default /24)
 * @param defaultHostIp host address of published ports that name none; Docker's is 0.0.0.0 (every
 *                      interface). 127.0.0.1 is the safe choice on a machine reachable from a network.
 */
public record NetworkConfig(Path stateDir, String namePrefix, Subnet pool, int subnetPrefix, String defaultHostIp) {

    public NetworkConfig {
        if (!namePrefix.matches("[a-z][a-z0-9]{0,5}")) {
            throw new IllegalArgumentException("namePrefix must be 1-6 lowercase letters or digits: " + namePrefix);
        }
        if (subnetPrefix < pool.prefix() || subnetPrefix > 30) {
            throw new IllegalArgumentException("subnetPrefix /" + subnetPrefix + " does not fit the pool " + pool);
        }
        Subnet.parseAddress(defaultHostIp);
    }

    public static NetworkConfig defaults(Path engineRoot) {
        return new NetworkConfig(engineRoot.resolve("network"), "berth", Subnet.parse("172.30.0.0/16"), 24, "0.0.0.0");
    }

    /** The default network's bridge, Docker's docker0. */
    public String defaultBridge() {
        return namePrefix + "0";
    }

    public String nftTable() {
        return namePrefix;
    }
}
