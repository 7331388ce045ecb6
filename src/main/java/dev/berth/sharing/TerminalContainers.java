package dev.berth.sharing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.berth.terminal.TerminalHub;

/**
 * Which container a terminal belongs to. A container's own TTY terminal has the container's id; exec terminals
 * ({@code exec-...}) are recorded here when they open and forgotten when they end.
 */
@ApplicationScoped
public class TerminalContainers {
    private final Map<String, String> execs = new ConcurrentHashMap<>();

    /** Records that {@code hub} runs in {@code containerId}, until it ends. */
    public void record(TerminalHub hub, String containerId) {
        execs.put(hub.id(), containerId);
        hub.onExit(h -> execs.remove(h.id(), containerId));
        if (hub.hasExited()) execs.remove(hub.id(), containerId);
    }

    /** The container of {@code terminalId}: the recorded one, else the id itself (a container's TTY terminal). */
    public String containerOf(String terminalId) {
        return execs.getOrDefault(terminalId, terminalId);
    }
}
