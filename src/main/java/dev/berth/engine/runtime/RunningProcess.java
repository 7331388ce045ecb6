package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A container (or exec) process held by its native monitor. Objects may be dropped and re-created by adopt. */
public interface RunningProcess {
    /** The container id (for an exec: the container's id). */
    String id();

    /** The state directory of this process' monitor. */
    Path stateDir();

    /** The process' pid as seen from the host. */
    long pid();

    /** The monitor's pid. */
    long monitorPid();

    /** Whether it has a PTY. */
    boolean tty();

    /** Completes once when the process has ended (the monitor has written the exit file). */
    CompletableFuture<ExitStatus> exit();

    /** Sends {@code signal} to the process; a no-op when it has already ended. */
    void kill(int signal);

    /** Freezes every task of the container's cgroup (freezer). Not for exec processes. */
    void pause();

    /** Thaws the container's cgroup. */
    void resume();

    /** Whether the container's cgroup is frozen. */
    boolean paused();

    /**
     * Connects a new client to the monitor.
     *
     * @param withScrollback first replay the monitor's bounded ring of recent output (up to 64 KiB)
     * @throws dev.berth.engine.EngineException when the process has already ended
     */
    Attachment attach(AttachListener listener, boolean withScrollback);

    /**
     * Like {@link #attach(AttachListener, boolean)}, read by {@code loop} instead of a thread of its own: the
     * listener is called on the loop's thread.
     */
    Attachment attach(AttachListener listener, boolean withScrollback, ReadLoop loop);

    /** A point-in-time resource sample of the container's cgroup. */
    ResourceStats stats();

    /** The processes of the container (host pids), like {@code docker top}. */
    List<ProcessInfo> top();
}
