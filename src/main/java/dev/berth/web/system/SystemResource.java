package dev.berth.web.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.berth.engine.container.ContainerService;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.system.DiskUsage;
import dev.berth.engine.system.DiskUsageCalculator;
import dev.berth.engine.system.HostFacts;
import dev.berth.engine.volume.VolumeService;

/** Facts about this Berth installation, for the admin's system page. */
@jakarta.ws.rs.Path("/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    public record SystemInfo(String version, String dataDir, String engineRoot, String javaVersion, String os, String kernel,
            String cgroupVersion, String postgresVersion, int cpus, long maxMemoryBytes) {
    }

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @ConfigProperty(name = "berth.data-dir")
    String dataDir;

    @ConfigProperty(name = "berth.engine.root")
    Optional<String> engineRoot;

    @Inject
    DataSource dataSource;

    @Inject
    ImageStore images;

    @Inject
    ContainerService containers;

    @Inject
    VolumeService volumes;

    private final HostFacts host = new HostFacts();

    @GET
    @jakarta.ws.rs.Path("/info")
    @RolesAllowed("admin")
    public SystemInfo info() {
        return new SystemInfo(version, Path.of(dataDir).toAbsolutePath().toString(), engineRoot().toString(),
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                host.kernel(), host.cgroupVersion(), postgresVersion(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }

    /** Like {@code docker system df}: what images, containers and volumes take on the engine's disk. */
    @GET
    @jakarta.ws.rs.Path("/df")
    @RolesAllowed("admin")
    public DiskUsage diskUsage() {
        return new DiskUsageCalculator(engineRoot(), images, containers, volumes).compute();
    }

    /** Bytes of each volume by name (the volumes screen shows them to admins). */
    @GET
    @jakarta.ws.rs.Path("/df/volumes")
    @RolesAllowed("admin")
    public java.util.Map<String, Long> volumeSizes() {
        return new DiskUsageCalculator(engineRoot(), images, containers, volumes).volumeSizes();
    }

    private Path engineRoot() {
        return Path.of(engineRoot.orElse(dataDir + "/engine")).toAbsolutePath().normalize();
    }

    /** The database server's version, or a sentence saying why it is unknown (the page shows it as is). */
    private String postgresVersion() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW server_version")) {
            return r.next() ? r.getString(1) : "unknown";
        } catch (SQLException e) {
            return "unreachable: " + e.getMessage();
        }
    }
}
