package dev.berth.engine.network;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Docker's {@code --network} modes. {@link Kind#BRIDGE} carries the network name ("bridge" for the default
 * network, else a user network); {@link Kind#CONTAINER} carries the id or name of the container whose network
 * namespace is joined. {@code host} is for administrators only: the console enforces that, not the engine.
 */
public record NetworkMode(Kind kind, String target) {

    public enum Kind { BRIDGE, NONE, HOST, CONTAINER }

    public static final String DEFAULT_NETWORK = "bridge";

    public static NetworkMode parse(String text) {
        if (text == null || text.isBlank() || text.equals("default") || text.equals(DEFAULT_NETWORK)) {
            return new NetworkMode(Kind.BRIDGE, DEFAULT_NETWORK);
        }
        if (text.equals("none")) {
            return new NetworkMode(Kind.NONE, null);
        }
        if (text.equals("host")) {
            return new NetworkMode(Kind.HOST, null);
        }
        if (text.startsWith("container:")) {
            String target = text.substring("container:".length());
            if (target.isBlank()) {
                throw new EngineException(Reason.INVALID_ARGUMENT, "invalid_network_mode",
                        "Network mode 'container:' names no container; write container:<name or id>.");
            }
            return new NetworkMode(Kind.CONTAINER, target);
        }
        return new NetworkMode(Kind.BRIDGE, text);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BRIDGE -> target;
            case NONE -> "none";
            case HOST -> "host";
            case CONTAINER -> "container:" + target;
        };
    }
}
