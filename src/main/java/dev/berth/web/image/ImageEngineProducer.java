package dev.berth.web.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.berth.engine.EngineException;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.ImageUsage;
import dev.berth.engine.image.RegistrySettings;

/**
 * Builds the engine's {@link ImageStore} from configuration:
 * <ul>
 *   <li>{@code berth.engine.root}: the engine root (default {@code ${berth.data-dir}/engine})</li>
 *   <li>{@code berth.registry.insecure}: comma-separated registries (host[:port]) reached over plain HTTP
 *       (loopback registries always are)</li>
 *   <li>{@code berth.registry.auth."<host[:port]>"=user:password}: credentials per registry; also read from
 *       {@code <engine root>/registry-auth.json} ({@code {"auths": {"host": {"username": .., "password": ..}}}}).
 *       Credentials are never returned by the API.</li>
 *   <li>{@code berth.registry.parallel-layers}: layers downloaded and unpacked at once per pull (default 4)</li>
 * </ul>
 * Which containers use an image comes from an {@link ImageUsage} bean if the application has one.
 */
@ApplicationScoped
public class ImageEngineProducer {
    static final String AUTH_PREFIX = "berth.registry.auth.";

    @Produces
    @ApplicationScoped
    ImageStore imageStore(Instance<ImageUsage> usages) {
        Config config = ConfigProvider.getConfig();
        Path root = engineRoot(config);
        RegistrySettings settings = RegistrySettings.defaults();
        Set<String> insecure = new HashSet<>(config.getOptionalValues("berth.registry.insecure", String.class)
                .orElse(List.of()));
        Map<String, RegistrySettings.Credentials> creds = new HashMap<>();
        try {
            creds.putAll(RegistrySettings.readCredentialsFile(root.resolve("registry-auth.json")));
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_registry_auth",
                    "Cannot read registry credentials from " + root.resolve("registry-auth.json") + ": "
                            + e.getMessage() + ". Fix or remove the file.", e);
        }
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(AUTH_PREFIX)) {
                String host = name.substring(AUTH_PREFIX.length()).replace("\"", "");
                String value = config.getOptionalValue(name, String.class).orElse("");
                int colon = value.indexOf(':');
                if (colon > 0) {
                    creds.put(host, new RegistrySettings.Credentials(value.substring(0, colon), value.substring(colon + 1)));
                }
            }
        }
        int parallel = config.getOptionalValue("berth.registry.parallel-layers", Integer.class).orElse(4);
        settings = new RegistrySettings(Set.copyOf(insecure), Map.copyOf(creds), parallel, settings.os(),
                settings.architecture());
        ImageUsage usage = imageId -> usages.isResolvable() ? usages.get().containersUsing(imageId) : List.of();
        return new ImageStore(root, settings, usage);
    }

    static Path engineRoot(Config config) {
        Optional<String> root = config.getOptionalValue("berth.engine.root", String.class);
        return root.map(Path::of).orElseGet(() ->
                Path.of(config.getOptionalValue("berth.data-dir", String.class).orElse("/var/lib/berth"), "engine"));
    }
}
