package dev.berth.engine.network;

import java.util.List;

/** A container's interface on one network: its address there, the names it answers to, its veth. */
public record Endpoint(String network, String ip, List<String> aliases, String hostVeth, String interfaceName) {
}
