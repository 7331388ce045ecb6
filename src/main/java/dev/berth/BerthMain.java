package dev.berth;

import java.nio.file.Path;

import dev.berth.database.DatabaseSettings;
import dev.berth.database.EmbeddedPostgres;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts Berth. When no external database URL is configured, a real PostgreSQL is started first under the
 * data directory and handed to Quarkus as the datasource.
 */
@QuarkusMain
public final class BerthMain {
    private BerthMain() {
    }

    public static void main(String... args) {
        if (DatabaseSettings.externalUrlConfigured()) {
            Quarkus.run(args);
            return;
        }
        Path dataDir = DatabaseSettings.dataDir();
        EmbeddedPostgres postgres = new EmbeddedPostgres(dataDir).start();
        DatabaseSettings.useEmbedded(postgres); // stopped by EmbeddedPostgresShutdown when Quarkus stops
        try {
            Quarkus.run(args);
        } finally {
            postgres.close(); // start-up failures; a no-op when it was stopped already
        }
    }
}
