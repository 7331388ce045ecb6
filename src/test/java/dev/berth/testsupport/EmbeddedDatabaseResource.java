package dev.berth.testsupport;

import java.nio.file.Path;
import java.util.Map;

import dev.berth.database.EmbeddedPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the same embedded PostgreSQL that Berth uses in production, under target/test-data, for every
 * {@code @QuarkusTest}, with a freshly created database. No Docker, no Dev Services.
 */
public class EmbeddedDatabaseResource implements QuarkusTestResourceLifecycleManager {
    public static final Path DATA_DIR = Path.of("target", "test-data").toAbsolutePath();
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        postgres = new EmbeddedPostgres(DATA_DIR).start();
        postgres.recreateDatabase(); // every test run starts from an empty database, whatever a previous run left
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password(),
                "berth.data-dir", DATA_DIR.toString());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
