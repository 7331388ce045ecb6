package dev.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.berth.engine.event.EngineEvent;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.engine.volume.VolumeService;

/**
 * A real engine for one test: busybox image, the native monitor, its own short root under /tmp (the monitor's
 * socket path must stay short). {@link #reopen()} drops the service objects and builds new ones on the same
 * root, as after a JVM crash. {@link #close()} force-removes every container and deletes the root.
 */
final class EngineFixture implements AutoCloseable {
    final Path root;
    final Path rootfs;
    final TestImages images = new TestImages();
    final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    VolumeService volumes;
    ContainerService service;

    EngineFixture() throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), "bce");
        rootfs = TestRootfs.busybox(root.resolve("image/rootfs"));
        Files.writeString(Files.createDirectories(rootfs.resolve("srv/www")).resolve("index.html"), "from the image\n");
        images.add("busybox:test", List.of(rootfs), List.of("/bin/sh"), Set.of());
        open();
    }

    private void open() {
        EngineEvents bus = new EngineEvents();
        bus.subscribe(events::add);
        volumes = new VolumeService(root.resolve("engine"), bus);
        service = new ContainerService(root.resolve("engine"), images,
                new NativeProcessRuntime(new NativeRuntime(MonitorBinary.fromBuildDir())), volumes, bus);
    }

    /** Drops the service objects (containers keep running in their monitors) and builds new ones on the same root. */
    void reopen() {
        service.close();
        open();
    }

    String run(ContainerSpec spec) {
        String id = service.create(spec).Id();
        service.start(id);
        return id;
    }

    String logs(String id) {
        StringBuilder out = new StringBuilder();
        service.logs(id, LogQuery.all(), e -> {
            out.append(new String(e.data(), StandardCharsets.UTF_8));
            return true;
        });
        return out.toString();
    }

    List<String> actions(String id) {
        List<String> result = new ArrayList<>();
        for (EngineEvent e : events) {
            if (e.id().equals(id)) {
                result.add(e.action());
            }
        }
        return result;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        try {
            for (ContainerSummary c : service.list(new ContainerFilters(true, Map.of()))) {
                try {
                    service.remove(c.id(), true, true);
                } catch (RuntimeException e) {
                    // keep cleaning
                }
            }
        } finally {
            service.close();
            Trees.deleteRecursively(root);
        }
    }
}
