package dev.berth.workspace;

import java.util.List;

/**
 * What to run in a workspace: an image, an optional command, container ports to publish (on a free host port of
 * the loopback-or-default address, Docker's {@code -p 80} form), and limits (0: none).
 */
public record WorkspaceTemplate(String image, List<String> cmd, List<String> ports, long memoryBytes, long nanoCpus, long pidsLimit) {
    public WorkspaceTemplate {
        cmd = cmd == null || cmd.isEmpty() ? null : List.copyOf(cmd);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }
}
