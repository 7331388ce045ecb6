package dev.berth.workspace;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Reloads workspaces at start; then, every berth.workspace.reap-interval, removes expired ones and records activity. */
@ApplicationScoped
public class WorkspaceReaper {
    private static final Logger LOG = Logger.getLogger(WorkspaceReaper.class.getName());

    @Inject
    WorkspaceService workspaces;

    @Inject
    dev.berth.audit.AuditLog audit;

    void start(@Observes StartupEvent event) {
        workspaces.onRemoved((w, reason) -> {
            if (WorkspaceService.EXPIRED.equals(reason)) {
                audit.record("system", "workspace.expire", w.id(), "owner " + w.owner() + ", idle for "
                        + w.ttl().toSeconds() + " s; its containers were removed", null);
            }
        });
        try {
            workspaces.load();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not reload workspaces at start; they are reloaded at the next start", e);
        }
    }

    @Scheduled(every = "${berth.workspace.reap-interval:30s}", delayed = "${berth.workspace.reap-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "workspace-reaper")
    void reap() {
        try {
            var removed = workspaces.sweep();
            if (!removed.isEmpty()) LOG.info("workspaces expired and removed: " + removed);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "workspace reaper pass failed; the next pass tries again", e);
        }
    }
}
