package dev.berth.ownership;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which container a terminal belongs to. A container's own TTY terminal has the container's id; exec terminals
 * ({@code exec-...}) are recorded here when they are opened. Terminal access rules (owner, grants, trainers) ask
 * this to decide by the container.
 */
@ApplicationScoped
public class TerminalContainers {
    private final Map<String, String> execs = new ConcurrentHashMap<>();

    /** Records that exec terminal {@code terminalId} runs in container {@code containerId}. */
    public void recordExec(String terminalId, String containerId) {
        execs.put(terminalId, containerId);
    }

    /** Forgets an exec terminal (when its hub is gone). */
    public void forget(String terminalId) {
        execs.remove(terminalId);
    }

    /**
     * The id of the container {@code terminalId} belongs to: the recorded container of an exec terminal, else the
     * terminal id itself (a container's TTY terminal); the caller checks that such a container exists.
     */
    public Optional<String> containerOf(String terminalId) {
        if (terminalId == null) {
            return Optional.empty();
        }
        return Optional.of(execs.getOrDefault(terminalId, terminalId));
    }
}
