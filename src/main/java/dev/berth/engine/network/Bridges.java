package dev.berth.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Creates and removes Linux bridges, and (on the {@code ip} path: connect, and the fallback when the monitor
 * could not) the veth pair that puts a container on one. The container end is created directly inside the
 * container's namespace ({@code peer ... netns}), so it never appears on the host under a clashing name. At
 * start the monitor does the same over rtnetlink (spec key {@code veth}, engine-native/PROTOCOL.md).
 */
final class Bridges {

    private Bridges() {
    }

    static boolean exists(String bridge) {
        return Files.exists(Path.of("/sys/class/net", bridge));
    }

    /**
     * Ensures the bridge exists, is up and holds the gateway address. {@code route_localnet} lets DNAT'ed
     * packets from 127.0.0.1 leave through this bridge, which is how published ports answer on the host's
     * loopback without a userspace proxy (Docker needs docker-proxy or the same sysctl for that).
     */
    static void ensure(String bridge, Subnet subnet) {
        if (!exists(bridge)) {
            HostCommands.ipBatch("link add " + bridge + " type bridge\n"
                    + "addr add " + subnet.gateway() + "/" + subnet.prefix() + " dev " + bridge + "\n"
                    + "link set " + bridge + " up\n", "create bridge " + bridge);
        }
        writeSysctl("net/ipv4/conf/" + bridge + "/route_localnet", "1");
        // Forwarding is what routes containers to the outside and published ports between bridges; Docker sets
        // it too. It is global: Berth turns it on and never off.
        writeSysctl("net/ipv4/ip_forward", "1");
    }

    static void remove(String bridge) {
        if (exists(bridge)) {
            HostCommands.runQuietly(java.util.List.of("ip", "link", "del", bridge), null);
        }
    }

    /** Builds the host-side batch that creates a veth into {@code netnsPath} and plugs it into the bridge. */
    static String vethCommands(String hostVeth, String ifName, String netnsPath, String bridge) {
        return "link add " + hostVeth + " type veth peer name " + ifName + " netns " + netnsPath + "\n"
                + "link set " + hostVeth + " master " + bridge + " up\n";
    }

    static void removeVeth(String hostVeth) {
        if (exists(hostVeth)) {
            HostCommands.runQuietly(java.util.List.of("ip", "link", "del", hostVeth), null);
        }
    }

    static void writeSysctl(String key, String value) {
        Path p = Path.of("/proc/sys", key);
        try {
            if (!value.equals(Files.readString(p).strip())) {
                Files.writeString(p, value);
            }
        } catch (IOException e) {
            throw new dev.berth.engine.EngineException(dev.berth.engine.EngineException.Reason.INTERNAL,
                    "network_setup_failed", "Could not set " + key.replace('/', '.') + "=" + value + ": " + e.getMessage()
                            + ". Berth needs root (CAP_NET_ADMIN) for bridge networking.", e);
        }
    }
}
