package dev.berth.engine.runtime;

import java.util.Optional;

/** A server's event loops, as {@link ReadLoop}s. */
public interface ReadLoops {
    /** A loop for a new attachment (the server's own choice, e.g. in turn). */
    ReadLoop next();

    /** The loop whose thread is calling, if the caller runs on one. */
    Optional<ReadLoop> current();
}
