package dev.berth.engine.runtime;

import java.time.Instant;

/**
 * How a container (or exec) process ended.
 *
 * @param code       Docker's exit code: the process' exit code, or 128 + signal when it was killed
 * @param signal     the terminating signal, 0 when it exited normally
 * @param oomKilled  the kernel's OOM killer killed a task of the container's cgroup
 * @param finishedAt when the monitor saw it end
 */
public record ExitStatus(int code, int signal, boolean oomKilled, Instant finishedAt) {
}
