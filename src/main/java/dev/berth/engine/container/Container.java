package dev.berth.engine.container;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A container in memory: its config and state, and while it runs its process. Guarded by its own monitor. */
final class Container {
    volatile ContainerConfig config;
    final ContainerState state;
    ContainerProcess process;
    /** Completes after the engine has handled the current process's exit. */
    CompletableFuture<Void> exitHandled = CompletableFuture.completedFuture(null);
    ScheduledFuture<?> pendingRestart;
    final List<CompletableFuture<Integer>> exitWaiters = new ArrayList<>();
    final CompletableFuture<Integer> removed = new CompletableFuture<>();
    ProcessStats lastSample;

    Container(ContainerConfig config, ContainerState state) {
        this.config = config;
        this.state = state;
    }

    String id() {
        return config.id();
    }
}
