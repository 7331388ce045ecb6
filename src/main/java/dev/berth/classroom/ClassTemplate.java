package dev.berth.classroom;

import java.util.List;

import dev.berth.workspace.WorkspaceTemplate;

/** What a trainer asks for: a name, the workspace template every attendee gets, and its time-to-live. */
public record ClassTemplate(String name, String image, List<String> cmd, List<String> ports, long memoryBytes, long nanoCpus,
        long pidsLimit, long ttlSeconds) {

    public WorkspaceTemplate workspace() {
        return new WorkspaceTemplate(image, cmd, ports, memoryBytes, nanoCpus, pidsLimit);
    }
}
