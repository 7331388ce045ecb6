package dev.berth.classroom;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.terminal.TerminalAccessRule;
import dev.berth.workspace.WorkspaceService;

/** CDI wiring of classes, their guests and the trainer's terminal access rule. */
@ApplicationScoped
public class ClassBeans {
    @Produces
    @Singleton
    ClassService classes(WorkspaceService workspaces, ImageStoreSource images) {
        return new ClassService(workspaces, images, Clock.systemUTC());
    }

    void start(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event, ClassService classes) {
        classes.load();
    }

    @Produces
    @Singleton
    GuestSessions guests(@ConfigProperty(name = "berth.class.guest-session-max-age", defaultValue = "PT12H") Duration maxAge) {
        return new GuestSessions(Clock.systemUTC(), maxAge);
    }

    @Produces
    @Singleton
    TerminalAccessRule trainers(WorkspaceService workspaces, ClassService classes) {
        return new TrainerAccessRule(workspaces, classes);
    }
}
