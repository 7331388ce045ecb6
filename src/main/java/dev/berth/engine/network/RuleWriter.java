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
 * the writer applies only the newest (later requests supersede earlier ones). A request may carry a delta
 * (nft element changes for one container's ports): while only deltas are pending the writer applies them, in
 * order, as one transaction, and falls back to the newest full rule set if that fails. {@link #await} lets a caller
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
    private final StringBuilder deltas = new StringBuilder();
    private boolean fullPending;
    private RuntimeException failure;

    /** Queues {@code ruleset}; returns its generation for {@link #await}. */
    synchronized long request(String ruleset) {
        return request(ruleset, null);
    }

    /**
     * Queues a change: {@code delta} (nft commands relative to the previous request's state) when there is one,
     * with {@code ruleset}, the complete state after it, for the fallback; null delta = rewrite everything.
     */
    synchronized long request(String ruleset, String delta) {
        latest = ruleset;
        if (delta == null) {
            fullPending = true;
        } else {
            deltas.append(delta);
        }
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
        String delta;
        long generation;
        synchronized (this) {
            if (applied >= requested) {
                return;
            }
            ruleset = latest;
            delta = fullPending ? null : deltas.toString();
            deltas.setLength(0);
            fullPending = false;
            generation = requested;
        }
        try {
            if (delta == null) {
                NftRules.apply(ruleset);
            } else {
                try {
                    NftRules.apply(delta);
                } catch (RuntimeException e) {
                    NftRules.apply(ruleset);   // e.g. the table of an older Berth without the maps
                }
            }
            synchronized (this) {
                applied = Math.max(applied, generation);
                notifyAll();
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                fullPending = true;   // the kernel's state is unknown now: the next change rewrites everything
                failed = Math.max(failed, generation);
                failure = e;
                notifyAll();
            }
        }
    }
}
