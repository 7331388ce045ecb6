package dev.berth.engine.network;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Applies nftables rule sets and removes veths on one background thread, so that a container start does not
 * wait for {@code nft} (20-30 ms a run here, most of it the tool's own start-up) and a stop does not wait for
 * the kernel to tear a veth down. Rule sets are rendered by the caller under the service's lock, in order, and
 * the writer applies only the newest (later requests supersede earlier ones). {@link #await} lets a caller
 * wait until a rule set it asked for is in force: a start does that at the very end of the BeforeExec hook,
 * after the runtime has spent the same time creating namespaces and mounts in parallel.
 */
final class RuleWriter {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-network-rules");
        t.setDaemon(true);
        return t;
    });
    private long requested;
    private long applied;
    private long failed;
    private String latest;
    private RuntimeException failure;

    /** Queues {@code ruleset}; returns its generation for {@link #await}. */
    synchronized long request(String ruleset) {
        latest = ruleset;
        long generation = ++requested;
        worker.execute(this::applyLatest);
        return generation;
    }

    /** Waits until the rule set of {@code generation} (or a newer one) is in the kernel. */
    synchronized void await(long generation) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (applied < generation) {
            if (failed >= generation) {
                throw failure;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new EngineException(Reason.INTERNAL, "network_setup_failed", "Timed out applying the nftables rules.");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(Reason.INTERNAL, "network_setup_failed", "Interrupted while applying the nftables rules.");
            }
        }
    }

    /** Runs a cleanup task (e.g. deleting a veth) in order with the rule updates. */
    void later(Runnable task) {
        worker.execute(task);
    }

    /** Waits for queued work; used before tearing everything down and at close. */
    void drain() {
        try {
            worker.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort
        }
    }

    private void applyLatest() {
        String ruleset;
        long generation;
        synchronized (this) {
            if (applied >= requested) {
                return;
            }
            ruleset = latest;
            generation = requested;
        }
        try {
            NftRules.apply(ruleset);
            synchronized (this) {
                applied = Math.max(applied, generation);
                notifyAll();
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                failed = Math.max(failed, generation);
                failure = e;
                notifyAll();
            }
        }
    }
}
