package dev.berth.engine.container;

import java.time.Instant;

/**
 * The changing part of a container, saved as {@code state.json}. Docker's status names: created, running,
 * paused, restarting, removing, exited, dead. Mutated only under the owning {@link Container}'s lock.
 */
public final class ContainerState {
    public String status = "created";
    public long pid;
    public int exitCode;
    public boolean oomKilled;
    public Instant startedAt;
    public Instant finishedAt;
    public int restartCount;
    /** A user stopped or killed the container: restart policies leave it alone. */
    public boolean stoppedByUser;
    /** The container was running (or restarting) when the engine last saw it: restart it with the engine. */
    public boolean wasRunning;
    public String error = "";
    public long lastBackoffMillis;

    public boolean running() {
        return "running".equals(status) || "paused".equals(status);
    }

    public ContainerState copy() {
        ContainerState c = new ContainerState();
        c.status = status;
        c.pid = pid;
        c.exitCode = exitCode;
        c.oomKilled = oomKilled;
        c.startedAt = startedAt;
        c.finishedAt = finishedAt;
        c.restartCount = restartCount;
        c.stoppedByUser = stoppedByUser;
        c.wasRunning = wasRunning;
        c.error = error;
        c.lastBackoffMillis = lastBackoffMillis;
        return c;
    }
}
