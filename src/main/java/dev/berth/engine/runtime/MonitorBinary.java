package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The native monitor executable. In development and tests it is {@code ${berth.native.dir}/berth-monitor}
 * (surefire sets the property to target/native); in the packaged app it is the class path resource
 * {@value #RESOURCE}. Either way it is installed as {@code <engineRoot>/bin/berth-monitor}, root-owned, mode 0555,
 * and verified by SHA-256 so a tampered copy is replaced before use.
 */
public final class MonitorBinary {
    public static final String RESOURCE = "/native/berth-monitor";
    public static final String NATIVE_DIR_PROPERTY = "berth.native.dir";

    private final Path path;

    private MonitorBinary(Path path) {
        this.path = path;
    }

    /** Uses an existing binary as is (tests, benchmarks). */
    public static MonitorBinary at(Path path) {
        if (!Files.isExecutable(path)) {
            throw new EngineException(EngineException.Reason.INTERNAL, "monitor_missing",
                    "the container monitor " + path + " is missing or not executable; build it with `make -C engine-native`");
        }
        return new MonitorBinary(path);
    }

    /** The freshly built binary named by the system property {@value #NATIVE_DIR_PROPERTY}, if set. */
    public static MonitorBinary fromBuildDir() {
        String dir = System.getProperty(NATIVE_DIR_PROPERTY);
        if (dir == null) {
            throw new EngineException(EngineException.Reason.INTERNAL, "monitor_missing",
                    "system property " + NATIVE_DIR_PROPERTY + " is not set; run through Maven or set it to target/native");
        }
        return at(Path.of(dir, "berth-monitor"));
    }

    /**
     * Installs the monitor into {@code <engineRoot>/bin/berth-monitor} (0555) from the build dir when
     * {@value #NATIVE_DIR_PROPERTY} is set, else from the class path resource, unless an identical copy is there.
     */
    public static MonitorBinary install(Path engineRoot) {
        Path bin = engineRoot.resolve("bin");
        Path target = bin.resolve("berth-monitor");
        try {
            byte[] wanted = source();
            if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(sha256(wanted))) {
                return new MonitorBinary(target);
            }
            Files.createDirectories(bin);
            Path tmp = Files.createTempFile(bin, ".berth-monitor", ".tmp");
            Files.write(tmp, wanted);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new MonitorBinary(target);
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INTERNAL, "monitor_install_failed",
                    "could not install the container monitor into " + bin + ": " + e.getMessage()
                            + "; check that the engine root is writable by Berth", e);
        }
    }

    public Path path() {
        return path;
    }

    private static byte[] source() throws IOException {
        String dir = System.getProperty(NATIVE_DIR_PROPERTY);
        if (dir != null && Files.isRegularFile(Path.of(dir, "berth-monitor"))) {
            return Files.readAllBytes(Path.of(dir, "berth-monitor"));
        }
        try (InputStream in = MonitorBinary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is not in the application; the build did not package it");
            }
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
