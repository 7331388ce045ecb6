package dev.berth.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Networks and attached containers, persisted as one JSON file ({@code <state>/state.json}), written to a
 * temporary file and renamed so a crash leaves the old or the new state, never half of one. The IP address
 * allocations are the endpoints in this file: an engine restart keeps every running container's address.
 *
 * <p>Writes happen on a background thread, off the start and stop path: {@link #save} queues the snapshot
 * (snapshots are immutable; a newer one supersedes one not yet written, so order is kept), and {@link #flush}
 * waits until the newest is on disk. {@link #load} flushes first, and {@link NetworkService#close} flushes, so
 * whoever reads the file sees the newest state. A failed write is logged and retried with the next snapshot;
 * {@link #flush} reports it.
 */
final class NetworkState {

    record Snapshot(List<Network> networks, List<ContainerNetwork> containers) {
    }

    private static final System.Logger LOG = System.getLogger(NetworkState.class.getName());

    private final Path file;
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-network-state");
        t.setDaemon(true);
        return t;
    });
    private Snapshot pending;
    private long requested;
    private long written;
    private long failed;
    private EngineException failure;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    NetworkState(Path stateDir) {
        this.file = stateDir.resolve("state.json");
    }

    Snapshot load() {
        flush();
        if (!Files.exists(file)) {
            return new Snapshot(new ArrayList<>(), new ArrayList<>());
        }
        try {
            Snapshot s = json.readValue(file.toFile(), Snapshot.class);
            return new Snapshot(new ArrayList<>(s.networks()), new ArrayList<>(s.containers()));
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "network_state_unreadable",
                    "Cannot read the network state " + file + ": " + e.getMessage()
                            + ". Fix or move the file away (networks will then be recreated empty).", e);
        }
    }

    /** Queues {@code s} to be written (see the class comment). */
    synchronized void save(Snapshot s) {
        pending = s;
        requested++;
        writer.execute(this::writeLatest);
    }

    /** Waits until the newest snapshot is on disk; throws if writing it failed. */
    synchronized void flush() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (written < requested && failed < requested) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new EngineException(Reason.INTERNAL, "network_state_unwritable",
                        "Timed out writing the network state " + file + ".");
            }
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineException(Reason.INTERNAL, "network_state_unwritable",
                        "Interrupted while writing the network state " + file + ".");
            }
        }
        if (written < requested) {
            throw failure;
        }
    }

    private void writeLatest() {
        Snapshot s;
        long generation;
        synchronized (this) {
            if (written >= requested) {
                return;
            }
            s = pending;
            generation = requested;
        }
        EngineException error = null;
        try {
            write(s);
        } catch (EngineException e) {
            error = e;
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + " (retried with the next change)");
        }
        synchronized (this) {
            if (error == null) {
                written = Math.max(written, generation);
                failure = null;
            } else {
                failed = Math.max(failed, generation);
                failure = error;
            }
            notifyAll();
        }
    }

    private void write(Snapshot s) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            Files.write(tmp, json.writeValueAsBytes(s));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new EngineException(Reason.INSUFFICIENT_STORAGE, "network_state_unwritable",
                    "Cannot write the network state " + file + ": " + e.getMessage(), e);
        }
    }
}
