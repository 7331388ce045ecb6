package dev.berth.engine.container;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the container lifecycle needs from the runtime that actually runs processes (the native monitor, via
 * an adapter over {@code dev.berth.engine.runtime}). One container directory holds everything the runtime
 * keeps for a container (sockets, pid, exit status, logs), so a new engine can adopt it after a restart.
 */
public interface ProcessRuntime {

    /** Starts the container's process as described; returns once it runs (or fails with an EngineException). */
    ContainerProcess start(LaunchRequest request);

    /** Reattaches to a container whose monitor still runs in {@code runtimeDir}; empty when it is gone. */
    Optional<ContainerProcess> adopt(Path runtimeDir);

    /** The exit status the monitor recorded for a container that is no longer running, if any. */
    Optional<ExitStatus> recordedExit(Path runtimeDir);

    /** Reads the container's output log; for {@code follow}, blocks until the container exits or the sink says stop. */
    void readLogs(Path runtimeDir, LogQuery query, LogSink sink);

    /** Removes whatever the runtime keeps for a container that is no longer running. */
    void cleanup(Path runtimeDir);
}
