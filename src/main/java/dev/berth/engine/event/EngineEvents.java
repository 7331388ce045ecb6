package dev.berth.engine.event;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's event stream. Subscribers are called synchronously in publication order on the publishing
 * thread; they must be quick (hand off to a queue for slow work). A failing subscriber never stops the others.
 */
public final class EngineEvents {
    private static final Logger LOG = Logger.getLogger(EngineEvents.class.getName());
    private final CopyOnWriteArrayList<Consumer<EngineEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Subscribes; close the returned handle to stop receiving events. */
    public AutoCloseable subscribe(Consumer<EngineEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(EngineEvent event) {
        for (Consumer<EngineEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "An engine event subscriber failed on " + event.action() + " " + event.id(), e);
            }
        }
    }
}
