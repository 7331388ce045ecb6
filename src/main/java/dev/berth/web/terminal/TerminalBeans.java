package dev.berth.web.terminal;

import dev.berth.terminal.DefaultTerminalAccess;
import dev.berth.terminal.RecordingStore;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalSettings;
import io.quarkus.arc.DefaultBean;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** CDI wiring of the terminal hub (plain Java) into the application. */
@ApplicationScoped
public class TerminalBeans {

    @Produces
    @Singleton
    TerminalRegistry registry(@ConfigProperty(name = "berth.terminal.window-bytes", defaultValue = "1048576") int window,
                              @ConfigProperty(name = "berth.terminal.client-queue-bytes", defaultValue = "1048576") int queue,
                              @ConfigProperty(name = "berth.terminal.max-frame-bytes", defaultValue = "262144") int frame,
                              @ConfigProperty(name = "berth.terminal.scrollback-lines", defaultValue = "1000") int scrollback) {
        return new TerminalRegistry(new TerminalSettings(window, queue, frame, scrollback));
    }

    @Produces
    @Singleton
    RecordingStore recordings(@ConfigProperty(name = "berth.terminal.recordings-dir") String dir) {
        return new RecordingStore(java.nio.file.Path.of(dir), java.time.Clock.systemUTC());
    }

    /** Admins and owners drive, other signed-in users watch; the multi-user layer replaces this bean. */
    @Produces
    @Singleton
    @DefaultBean
    TerminalAccess access(TerminalRegistry registry) {
        return new DefaultTerminalAccess(registry);
    }

    void shutdown(@Observes ShutdownEvent event, TerminalRegistry registry) {
        registry.closeAll("Berth is shutting down");
    }
}
