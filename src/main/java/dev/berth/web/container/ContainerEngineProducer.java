package dev.berth.web.container;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.berth.engine.container.ContainerImageUsage;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.container.NativeProcessRuntime;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.ImageUsage;
import dev.berth.engine.image.RegistrySettings;
import dev.berth.engine.runtime.ContainerRuntime;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.volume.VolumeService;
import dev.berth.engine.EngineException;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/**
 * Builds the container half of the engine from configuration: {@code berth.engine.root} (default
 * {@code ${berth.data-dir}/engine}). Uses the application's {@link ImageStore} and {@link ContainerRuntime}
 * beans when other parts provide them, else builds its own. Starts eagerly so running containers are
 * re-adopted and restart policies applied as soon as Berth starts.
 */
@ApplicationScoped
public class ContainerEngineProducer {
    private static final Logger LOG = Logger.getLogger(ContainerEngineProducer.class);
    private final AtomicReference<ContainerService> service = new AtomicReference<>();

    void onStart(@Observes StartupEvent event, ContainerService containers) {
        containers.list(new dev.berth.engine.container.ContainerFilters(true, java.util.Map.of())); // forces creation
    }

    @Produces
    @Singleton
    EngineEvents events() {
        return new EngineEvents();
    }

    @Produces
    @Singleton
    VolumeService volumes(EngineEvents events) {
        return new VolumeService(engineRoot(), events);
    }

    /** Which containers use an image: the image store refuses to remove those images. */
    @Produces
    @Singleton
    ImageUsage imageUsage() {
        return new ContainerImageUsage(service::get);
    }

    /** Images for containers: the application's ImageStore bean when there is one, else a store on the same root. */
    @Produces
    @Singleton
    ImageStoreSource imageSource(Instance<ImageStore> imageStores, ImageUsage usage) {
        return new ImageStoreSource(imageStores.isResolvable() ? imageStores.get()
                : new ImageStore(engineRoot(), RegistrySettings.defaults(), usage));
    }

    @Produces
    @Singleton
    ContainerService containers(ImageStoreSource images, Instance<ContainerRuntime> runtimes, VolumeService volumes,
            EngineEvents events) {
        Path root = engineRoot();
        ContainerRuntime runtime = runtimes.isResolvable() ? runtimes.get() : nativeRuntime(root);
        ContainerService created = new ContainerService(root, images, new NativeProcessRuntime(runtime), volumes, events);
        service.set(created);
        return created;
    }

    /** The native runtime; when its monitor cannot be installed, a runtime that answers every call with that error. */
    private static ContainerRuntime nativeRuntime(Path root) {
        try {
            return new NativeRuntime(MonitorBinary.install(root));
        } catch (EngineException e) {
            LOG.error("Containers cannot run: " + e.getMessage());
            return new UnavailableRuntime(e);
        }
    }

    void close(@Disposes ContainerService containers) {
        containers.close();
    }

    static Path engineRoot() {
        Config config = ConfigProvider.getConfig();
        Optional<String> root = config.getOptionalValue("berth.engine.root", String.class);
        return root.map(Path::of).orElseGet(() ->
                Path.of(config.getOptionalValue("berth.data-dir", String.class).orElse("/var/lib/berth"), "engine"));
    }
}
