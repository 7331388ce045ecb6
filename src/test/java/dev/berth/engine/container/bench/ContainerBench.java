package dev.berth.engine.container.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.berth.engine.container.ContainerId;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.ImageSource;
import dev.berth.engine.container.NativeProcessRuntime;
import dev.berth.engine.container.SourceImage;
import dev.berth.engine.container.Trees;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.engine.volume.VolumeService;

/**
 * {@code run --rm busybox true} through the whole container lifecycle (create, start, wait, remove with its
 * state files) on the native runtime: prints the median and p90 in ms. Used by bench/containers/run.sh.
 */
public final class ContainerBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path root = Files.createTempDirectory(Path.of("/tmp"), "bcb");
        try {
            Path rootfs = TestRootfs.busybox(root.resolve("rootfs"));
            SourceImage image = new SourceImage("sha256:" + ContainerId.generate(), "busybox", List.of(), List.of(),
                    List.of("/bin/sh"), "", "", Set.of(), Set.of(), Map.of(), "", List.of(rootfs));
            ImageSource images = ref -> Optional.of(image);
            EngineEvents events = new EngineEvents();
            ContainerService service = new ContainerService(root.resolve("engine"), images,
                    new NativeProcessRuntime(new NativeRuntime(MonitorBinary.fromBuildDir())),
                    new VolumeService(root.resolve("engine"), events), events);
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < runs + 3; i++) {
                long start = System.nanoTime();
                String id = service.create(ContainerSpec.builder("busybox").cmd("/bin/true").networkMode("none").build()).Id();
                long created = System.nanoTime();
                var exit = service.waitFor(id, "next-exit");
                service.start(id);
                long started = System.nanoTime();
                int code = exit.get(30, TimeUnit.SECONDS);
                long exited = System.nanoTime();
                service.remove(id, false, true);
                if (System.getenv("BENCH_PHASES") != null) {
                    System.out.printf("create %.1f start %.1f exit %.1f remove %.1f%n", (created - start) / 1e6,
                            (started - created) / 1e6, (exited - started) / 1e6, (System.nanoTime() - exited) / 1e6);
                }
                double ms = (System.nanoTime() - start) / 1e6;
                if (code != 0) {
                    throw new IllegalStateException("/bin/true exited " + code);
                }
                if (i >= 3) {
                    times.add(ms);
                }
            }
            Collections.sort(times);
            System.out.printf("berth ContainerService create+start+wait+remove: median=%.2f ms p90=%.2f ms (n=%d)%n",
                    times.get(times.size() / 2), times.get((int) (times.size() * 0.9)), times.size());
            service.close();
        } finally {
            Trees.deleteRecursively(root);
        }
    }
}
