package dev.berth.database;

import java.nio.file.Path;

/**
 * Decides, before Quarkus starts, whether Berth uses an external PostgreSQL or starts its own.
 *
 * <p>An external server is configured with {@code QUARKUS_DATASOURCE_JDBC_URL} (or the system property
 * {@code quarkus.datasource.jdbc.url}), plus {@code QUARKUS_DATASOURCE_USERNAME} and
 * {@code QUARKUS_DATASOURCE_PASSWORD}. Without it, the embedded server is used and its data lives under
 * {@code BERTH_DATA_DIR} (default {@value #DEFAULT_DATA_DIR}).
 */
public final class DatabaseSettings {
    public static final String DEFAULT_DATA_DIR = "/var/lib/berth";

    private DatabaseSettings() {
    }

    public static boolean externalUrlConfigured() {
        return setting("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL") != null;
    }

    public static Path dataDir() {
        String value = setting("berth.data-dir", "BERTH_DATA_DIR");
        return Path.of(value == null ? DEFAULT_DATA_DIR : value);
    }

    private static volatile EmbeddedPostgres embedded;

    /** The embedded server this process started, or null when an external database is used. */
    static EmbeddedPostgres embedded() {
        return embedded;
    }

    /** Points the datasource at a running embedded server. */
    public static void useEmbedded(EmbeddedPostgres postgres) {
        embedded = postgres;
        System.setProperty("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        System.setProperty("quarkus.datasource.username", postgres.username());
        System.setProperty("quarkus.datasource.password", postgres.password());
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
