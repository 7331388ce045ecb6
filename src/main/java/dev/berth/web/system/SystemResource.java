package dev.berth.web.system;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Facts about this Berth installation, for the admin's system page. */
@jakarta.ws.rs.Path("/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    public record SystemInfo(String version, String dataDir, String javaVersion, String os, int cpus, long maxMemoryBytes) {
    }

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    @ConfigProperty(name = "berth.data-dir")
    String dataDir;

    @GET
    @jakarta.ws.rs.Path("/info")
    @RolesAllowed("admin")
    public SystemInfo info() {
        return new SystemInfo(version, java.nio.file.Path.of(dataDir).toAbsolutePath().toString(),
                System.getProperty("java.version"), System.getProperty("os.name") + " " + System.getProperty("os.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory());
    }
}
