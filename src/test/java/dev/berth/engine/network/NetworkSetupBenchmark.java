package dev.berth.engine.network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * bench/network: where the network setup time of a container start goes (prepare, the BeforeExec hook,
 * release), against a fork of {@code /bin/true} from this JVM as the unit of cost. Runs only with
 * {@code -Dberth.bench=true}; prints medians, asserts nothing.
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class NetworkSetupBenchmark {

    @Test
    void breakdown() throws Exception {
        Path root = Files.createTempDirectory("bnx");
        NetworkService service = new NetworkService(new NetworkConfig(root, "bnx", Subnet.parse("10.234.0.0/16"), 24, "127.0.0.1"));
        service.restore(Set.of());
        List<Double> prepare = new ArrayList<>(), hook = new ArrayList<>(), hookPorts = new ArrayList<>(), release = new ArrayList<>(),
                fork = new ArrayList<>(), hookOk = new ArrayList<>(), hookOkPorts = new ArrayList<>();
        try (TestNamespaces ns = new TestNamespaces("bnx")) {
            for (int i = 0; i < 83; i++) {
                long pid = ns.create("c" + (i % 2));
                boolean ports = i % 2 == 1;
                // i % 4 < 2: the ip path; otherwise what is left for the hook once the monitor wired the veth
                // ("ok": bookkeeping and the wait for nft; the monitor's own netlink work is in the start figures)
                boolean monitor = i % 4 >= 2;
                String id = "x" + i + "aaaaaaaaaaaaaaa";
                long t0 = System.nanoTime();
                PreparedNetwork p = service.prepare(new NetworkRequest(id, "c" + i, null, NetworkMode.parse("bridge"), List.of(),
                        ports ? PortSpecs.parse("127.0.0.1::80", "127.0.0.1") : List.of(), List.of()));
                long t1 = System.nanoTime();
                if (monitor) {
                    p.hook().beforeExec(pid, "ok");
                } else {
                    p.hook().beforeExec(pid);
                }
                long t2 = System.nanoTime();
                ns.kill("c" + (i % 2));
                long t3 = System.nanoTime();
                service.release(id);
                long t4 = System.nanoTime();
                new ProcessBuilder("/bin/true").start().waitFor();
                long t5 = System.nanoTime();
                if (i >= 3) {
                    prepare.add((t1 - t0) / 1e6);
                    (monitor ? (ports ? hookOkPorts : hookOk) : (ports ? hookPorts : hook)).add((t2 - t1) / 1e6);
                    release.add((t4 - t3) / 1e6);
                    fork.add((t5 - t4) / 1e6);
                }
            }
        } finally {
            service.teardown();
        }
        System.out.printf(Locale.ROOT, "%n==== network setup breakdown (medians, ms) ====%nprepare %.2f | hook (ip path) %.2f | hook with a published port (ip path) %.2f"
                + " | hook after the monitor wired the veth %.2f | the same with a published port %.2f"
                + " | release %.2f | fork+exec /bin/true from the JVM %.2f%n", median(prepare), median(hook), median(hookPorts),
                median(hookOk), median(hookOkPorts), median(release), median(fork));
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
