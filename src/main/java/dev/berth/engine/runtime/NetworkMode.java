package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.Objects;

/** Which network namespace a container process gets. */
public sealed interface NetworkMode {

    /**
     * A fresh network namespace with only loopback (up); the networking layer adds interfaces in {@link BeforeExec},
     * or lets the monitor create them: {@code veths} are values of the spec key {@code veth} (engine-native/PROTOCOL.md),
     * whose outcome the hook receives through {@link BeforeExec#run(long, String)}.
     */
    record New(java.util.List<String> veths) implements NetworkMode {
        public New {
            veths = veths == null ? java.util.List.of() : java.util.List.copyOf(veths);
        }

        public New() {
            this(java.util.List.of());
        }
    }

    /** A fresh network namespace with only loopback (Docker's {@code --network none}). */
    record None() implements NetworkMode { }

    /** The host's network namespace (admin only, like Docker's {@code --network host}). */
    record Host() implements NetworkMode { }

    /** Join an existing network namespace, e.g. {@code /proc/<pid>/ns/net} or {@code /run/netns/<name>}. */
    record Join(Path path) implements NetworkMode {
        public Join {
            Objects.requireNonNull(path, "path");
        }
    }

    static NetworkMode newNamespace() { return new New(); }
    static NetworkMode newNamespace(java.util.List<String> veths) { return new New(veths); }
    static NetworkMode none() { return new None(); }
    static NetworkMode host() { return new Host(); }
    static NetworkMode join(Path path) { return new Join(path); }
}
