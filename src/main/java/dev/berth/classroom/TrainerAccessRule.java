package dev.berth.classroom;

import java.util.Optional;
import java.util.Set;

import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRole;
import dev.berth.workspace.WorkspaceService;

/**
 * The trainer of a class owns every attendee terminal of it: the terminals of containers in the class's
 * workspaces (a container's TTY terminal has the container's id). From memory only: asked on every connection.
 */
public final class TrainerAccessRule implements TerminalAccessRule {
    private final WorkspaceService workspaces;
    private final ClassService classes;

    public TrainerAccessRule(WorkspaceService workspaces, ClassService classes) {
        this.workspaces = workspaces;
        this.classes = classes;
    }

    @Override
    public Optional<TerminalRole> roleFor(String principal, Set<String> roles, TerminalHub hub) {
        return workspaces.ofContainer(hub.id())
                .filter(w -> w.classId() != null)
                .flatMap(w -> classes.trainerOf(w.classId()))
                .filter(principal::equals)
                .map(t -> TerminalRole.OWNER);
    }
}
