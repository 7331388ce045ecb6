package dev.berth.engine.container;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running container process as its monitor reports it. */
public interface ContainerProcess {

    /** The host pid of the container's first process. */
    long pid();

    /** Completes once when the process has exited, with the status the monitor recorded. */
    CompletableFuture<ExitStatus> exit();

    /** Sends a signal (number, e.g. 15 or 9) to the container's first process. */
    void kill(int signal);

    /** Freezes every process of the container (cgroup freezer). */
    void pause();

    /** Thaws a paused container. */
    void resume();

    /** A raw sample of resource usage; CPU percentages are computed by the caller between two samples. */
    ProcessStats stats();

    /** The container's processes, like {@code ps} inside it: titles and one row per process. */
    TopResult top(List<String> psArgs);

    /** The runtime's own handle (e.g. {@code dev.berth.engine.runtime.RunningProcess} for attach and exec), if of that type. */
    default <T> java.util.Optional<T> unwrap(Class<T> type) {
        return java.util.Optional.empty();
    }
}
