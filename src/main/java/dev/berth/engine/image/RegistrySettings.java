package dev.berth.engine.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the engine talks to registries.
 *
 * @param insecure       registries (host[:port]) reached over plain HTTP; loopback registries always are
 * @param credentials    user and password per registry host[:port] (for Docker Hub use {@code docker.io})
 * @param parallelLayers how many layers of one pull download and unpack at the same time
 * @param os             platform to select from manifest lists, e.g. {@code linux}
 * @param architecture   e.g. {@code amd64}
 */
public record RegistrySettings(Set<String> insecure, Map<String, Credentials> credentials, int parallelLayers,
                               String os, String architecture) {

    /** A user name and password for one registry. {@link #toString()} never shows the password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ****]";
        }

        String basicHeader() {
            return "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
    }

    public static RegistrySettings defaults() {
        return new RegistrySettings(Set.of(), Map.of(), 4, "linux", hostArchitecture());
    }

    public RegistrySettings withCredentials(Map<String, Credentials> more) {
        Map<String, Credentials> all = new HashMap<>(credentials);
        all.putAll(more);
        return new RegistrySettings(insecure, Map.copyOf(all), parallelLayers, os, architecture);
    }

    public RegistrySettings withInsecure(Set<String> hosts) {
        return new RegistrySettings(Set.copyOf(hosts), credentials, parallelLayers, os, architecture);
    }

    /** The JVM's architecture in OCI terms (amd64, arm64, ...). */
    public static String hostArchitecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }

    /**
     * Reads a credentials file: either {@code {"auths": {"host": {"username": u, "password": p}}}} or Docker's
     * {@code config.json} form with {@code "auth": base64(user:password)}. A missing file gives no credentials.
     */
    public static Map<String, Credentials> readCredentialsFile(Path file) throws IOException {
        Map<String, Credentials> out = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        JsonNode auths = ContentStore.JSON.readTree(file.toFile()).path("auths");
        auths.fields().forEachRemaining(e -> {
            JsonNode a = e.getValue();
            String user = a.path("username").asText(null);
            String pass = a.path("password").asText(null);
            if (user == null && a.hasNonNull("auth")) {
                String decoded = new String(Base64.getDecoder().decode(a.get("auth").asText()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    user = decoded.substring(0, colon);
                    pass = decoded.substring(colon + 1);
                }
            }
            if (user != null && pass != null) {
                String host = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
                if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
                    host = ImageReference.DOCKER_HUB;
                }
                out.put(host, new Credentials(user, pass));
            }
        });
        return out;
    }
}
