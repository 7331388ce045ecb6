package dev.berth.engine.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One pull of one reference, with its progress. Any number of watchers can {@link #subscribe}; a late watcher
 * first receives the current state (the pull's latest event and each layer's latest event), then live events.
 * The last event has status {@code complete} (with the image id in {@code message}) or {@code failed}.
 */
public final class ImagePull {

    /**
     * A progress event.
     *
     * @param pullId    the pull
     * @param reference normalised reference being pulled
     * @param layer     layer digest, or null for events about the whole pull
     * @param status    pull: resolving, pulling, complete, failed; layer: waiting, downloading, verifying,
     *                  extracting, done, error
     * @param current   bytes downloaded so far (layer events)
     * @param total     layer size in bytes, 0 if unknown
     * @param message   detail (error message, image id on complete, "already present", ...)
     * @param error     error code for failed/error events, else null
     */
    public record Event(String pullId, String reference, String layer, String status, long current, long total,
                        String message, String error) {
        public boolean terminal() {
            return layer == null && ("complete".equals(status) || "failed".equals(status));
        }
    }

    private final String id;
    private final String reference;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final Map<String, Event> layers = new LinkedHashMap<>();
    private final List<Consumer<Event>> watchers = new CopyOnWriteArrayList<>();
    private Event overall;

    ImagePull(String id, String reference) {
        this.id = id;
        this.reference = reference;
        this.overall = new Event(id, reference, null, "resolving", 0, 0, "", null);
    }

    public String id() {
        return id;
    }

    public String reference() {
        return reference;
    }

    /** Completes with the image id, or exceptionally with the EngineException that failed the pull. */
    public CompletableFuture<String> result() {
        return result;
    }

    /** The current state: the pull's latest event followed by each layer's latest event. */
    public synchronized List<Event> snapshot() {
        List<Event> out = new ArrayList<>();
        out.add(overall);
        out.addAll(layers.values());
        if (overall.terminal()) {
            out.remove(0);
            out.add(overall);
        }
        return out;
    }

    /** Delivers the current state, then every new event, to {@code watcher} until it unsubscribes. */
    public synchronized Runnable subscribe(Consumer<Event> watcher) {
        snapshot().forEach(watcher);
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    /** A blocking view for adapters: the current state, then live events, ending after the terminal event. */
    public Events events() {
        Events e = new Events();
        e.unsubscribe = subscribe(e.queue::add);
        return e;
    }

    /** Events as a queue; call {@link #next} until it returns an event with {@link Event#terminal()}. */
    public static final class Events implements AutoCloseable {
        private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        private Runnable unsubscribe;

        /** The next event, or null if none arrived within the timeout. */
        public Event next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        @Override
        public void close() {
            unsubscribe.run();
        }
    }

    synchronized void emit(Event e) {
        if (e.layer() == null) {
            overall = e;
        } else {
            layers.put(e.layer(), e);
        }
        for (Consumer<Event> w : watchers) {
            w.accept(e);
        }
    }

    void status(String status, String message) {
        emit(new Event(id, reference, null, status, 0, 0, message, null));
    }

    void layer(String layer, String status, long current, long total, String message) {
        emit(new Event(id, reference, layer, status, current, total, message, null));
    }

    void complete(String imageId) {
        emit(new Event(id, reference, null, "complete", 0, 0, imageId, null));
        result.complete(imageId);
    }

    void fail(dev.berth.engine.EngineException error) {
        emit(new Event(id, reference, null, "failed", 0, 0, error.getMessage(), error.code()));
        result.completeExceptionally(error);
    }

    public boolean done() {
        return result.isDone();
    }
}
