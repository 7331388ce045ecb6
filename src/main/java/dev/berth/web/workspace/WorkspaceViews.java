package dev.berth.web.workspace;

import java.time.Instant;
import java.util.List;

import dev.berth.workspace.LiveWorkspace;

/** JSON shapes of workspaces. */
final class WorkspaceViews {
    private WorkspaceViews() {
    }

    /**
     * A workspace: {@code expiresAt} is when it is removed unless there is activity before (the countdown);
     * {@code terminalId} the terminal of its first container (null without one).
     */
    record WorkspaceView(String id, String owner, String displayName, Long classId, long ttlSeconds, Instant createdAt,
            Instant lastActivityAt, Instant expiresAt, List<String> containers, String terminalId) {
    }

    static WorkspaceView of(LiveWorkspace w) {
        List<String> containers = w.containers().stream().sorted().toList();
        return new WorkspaceView(w.id(), w.owner(), w.displayName(), w.classId(), w.ttl().toSeconds(), w.createdAt(),
                w.lastActivity(), w.expiresAt(), containers, containers.isEmpty() ? null : containers.get(0));
    }
}
