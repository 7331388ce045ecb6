package dev.berth.web.terminal;

import dev.berth.engine.runtime.ReadLoops;
import dev.berth.terminal.OwnerAccessRule;
import dev.berth.terminal.RecordingStore;
import dev.berth.terminal.RuleBasedTerminalAccess;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalAccessRule;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalSettings;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
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
                              @ConfigProperty(name = "berth.terminal.client-queue-bytes", defaultValue = "4194304") int queue,
                              @ConfigProperty(name = "berth.terminal.max-frame-bytes", defaultValue = "262144") int frame,
                              @ConfigProperty(name = "berth.terminal.scrollback-lines", defaultValue = "1000") int scrollback,
                              @ConfigProperty(name = "berth.terminal.read-on-event-loops", defaultValue = "true") boolean onLoops,
                              Vertx vertx) {
        // read on the event loops: a monitor socket is read by the loop of the WebSocket typing into it (one thread
        // wake-up less per echo); false: a reader thread per terminal, as before 2026-12-04
        ReadLoops loops = onLoops ? EventLoopReadLoops.of(vertx.nettyEventLoopGroup()).orElse(null) : null;
        return new TerminalRegistry(new TerminalSettings(window, queue, frame, scrollback), loops);
    }

    @Produces
    @Singleton
    RecordingStore recordings(@ConfigProperty(name = "berth.terminal.recordings-dir") String dir) {
        return new RecordingStore(java.nio.file.Path.of(dir), java.time.Clock.systemUTC());
    }

    /** Every {@link TerminalAccessRule} bean is asked; the strongest role wins. */
    @Produces
    @Singleton
    TerminalAccess access(TerminalRegistry registry, @All java.util.List<TerminalAccessRule> rules) {
        return new RuleBasedTerminalAccess(registry, rules);
    }

    @Produces
    @Singleton
    TerminalAccessRule ownerRule() {
        return new OwnerAccessRule();
    }

    void shutdown(@Observes ShutdownEvent event, TerminalRegistry registry) {
        registry.closeAll("Berth is shutting down");
    }
}
