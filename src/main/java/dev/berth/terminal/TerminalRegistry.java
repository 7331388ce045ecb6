package dev.berth.terminal;

import dev.berth.engine.runtime.ReadLoops;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/** The open terminals by id. A terminal is removed when its program exits or it is closed. */
public final class TerminalRegistry {
    private final ConcurrentMap<String, TerminalHub> hubs = new ConcurrentHashMap<>();
    private final TerminalSettings settings;
    private final ReadLoops readLoops;

    public TerminalRegistry(TerminalSettings settings) {
        this(settings, null);
    }

    /** With {@code readLoops} (may be null), sources that can read on a server's event loops do. */
    public TerminalRegistry(TerminalSettings settings, ReadLoops readLoops) {
        this.settings = settings;
        this.readLoops = readLoops;
    }

    /**
     * Opens a terminal over {@code source} and starts reading it. Ids are unique among open terminals.
     *
     * @throws IllegalStateException if a terminal with this id is open
     */
    public TerminalHub open(String id, String owner, TerminalSource source, int cols, int rows) throws IOException {
        TerminalHub hub = new TerminalHub(id, owner, source, cols, rows, settings);
        if (hubs.putIfAbsent(id, hub) != null) {
            throw new IllegalStateException("terminal " + id + " is already open: attach to it or close it first");
        }
        hub.onExit(h -> hubs.remove(h.id(), h));
        if (readLoops != null) source.useReadLoops(readLoops);
        try {
            hub.start();
        } catch (IOException | RuntimeException e) {
            hubs.remove(id, hub);
            throw e;
        }
        return hub;
    }

    public Optional<TerminalHub> find(String id) {
        return Optional.ofNullable(hubs.get(id));
    }

    public Collection<TerminalHub> all() {
        return List.copyOf(hubs.values());
    }

    public void close(String id, String reason) {
        TerminalHub hub = hubs.remove(id);
        if (hub != null) hub.close(reason);
    }

    /**
     * Closes every client connection matching {@code which} (e.g. all of a user's, or of one login session) on
     * every terminal; returns how many were closed.
     */
    public int disconnect(Predicate<TerminalClient> which, String reason) {
        return disconnect(which, 4001, reason);
    }

    /** Like {@link #disconnect(Predicate, String)} with the close {@code code} the client gets. */
    public int disconnect(Predicate<TerminalClient> which, int code, String reason) {
        int n = 0;
        for (TerminalHub hub : hubs.values()) {
            for (TerminalClient c : hub.clients()) {
                if (which.test(c)) {
                    hub.leave(c, code, reason);
                    n++;
                }
            }
        }
        return n;
    }

    public void closeAll(String reason) {
        for (String id : List.copyOf(hubs.keySet())) close(id, reason);
    }
}
