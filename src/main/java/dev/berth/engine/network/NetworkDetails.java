package dev.berth.engine.network;

import java.util.List;

/** A network with its members, for inspect (Docker's {@code Containers} map). */
public record NetworkDetails(Network network, List<Member> containers) {

    public record Member(String containerId, String name, String ip, List<String> aliases) {
    }
}
