package dev.berth.web.network;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.berth.engine.network.NetworkConfig;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.Subnet;
import io.quarkus.runtime.StartupEvent;

/** Makes the engine's {@link NetworkService} a CDI bean, restored at start (bridges, rules, published ports). */
@ApplicationScoped
public class NetworkServiceProducer {

    private static final Logger LOG = Logger.getLogger(NetworkServiceProducer.class);

    @Produces
    @Singleton
    NetworkService networkService(NetworkSettings settings, @ConfigProperty(name = "berth.data-dir") String dataDir,
            @ConfigProperty(name = "berth.engine.root") Optional<String> engineRoot) {
        Path root = Path.of(engineRoot.orElse(dataDir + "/engine"));
        Path state = settings.stateDir().map(Path::of).orElse(root.resolve("network"));
        NetworkService service = new NetworkService(new NetworkConfig(state, settings.namePrefix(),
                Subnet.parse(settings.pool()), settings.subnetSize(), settings.defaultHostIp()));
        // Until the container layer calls restore(runningIds) itself, a container counts as running when the
        // network namespace recorded for it still exists. A failure (not root, no nft) leaves Berth up: network
        // operations then answer with the reason.
        try {
            service.restore().forEach(LOG::warn);
        } catch (RuntimeException e) {
            LOG.errorf("Container networking is not available: %s", e.getMessage());
        }
        return service;
    }

    void close(@Disposes NetworkService service, NetworkSettings settings) {
        if (settings.teardownAtStop()) {
            service.teardown();
        } else {
            service.close();
        }
    }

    /** Published ports must be held again as soon as Berth runs, not when someone first lists networks. */
    void onStart(@Observes StartupEvent event, NetworkSettings settings, jakarta.enterprise.inject.Instance<NetworkService> service) {
        if (settings.restoreAtStart()) {
            service.get().config();
        }
    }
}
