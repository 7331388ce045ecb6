package dev.berth.database;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;

/**
 * Stops the embedded PostgreSQL when Berth shuts down normally (SIGTERM, systemctl stop). The main thread
 * can't be relied on for this: on a signal the JVM may end before it resumes.
 */
@ApplicationScoped
public class EmbeddedPostgresShutdown {
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedPostgres postgres = DatabaseSettings.embedded();
        if (postgres != null) {
            postgres.close();
        }
    }
}
