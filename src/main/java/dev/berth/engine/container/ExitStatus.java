package dev.berth.engine.container;

import java.time.Instant;

/** How a container process ended: its exit code (128 + signal when killed by one), and whether the OOM killer did it. */
public record ExitStatus(int exitCode, boolean oomKilled, Instant finishedAt) {
}
