package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.runtime.ExitStatus;
import dev.berth.engine.runtime.LogQuery;
import dev.berth.engine.runtime.LogReader;
import dev.berth.engine.runtime.LogRecord;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.Mount;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;

/**
 * The network layer with real containers (berth-monitor via {@link NativeRuntime}): the hook wires the
 * namespace the runtime created, hosts/resolv.conf/hostname are bind-mounted as the container layer will do.
 * This is the wiring the container service must reproduce (see {@link #start}).
 */
class ContainerNetworkingTest {

    private static Path lower;
    private static Path scratch;

    private final NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
    private final List<RunningProcess> started = new ArrayList<>();
    private Path dir;
    private NetworkService service;

    @BeforeAll
    static void rootfs() throws Exception {
        scratch = Files.createTempDirectory(Path.of("/tmp"), "bnc-lower");
        lower = TestRootfs.busybox(scratch.resolve("rootfs"));
        Files.createDirectories(lower.resolve("www"));
        Files.writeString(lower.resolve("www/index.html"), "served from a container");
    }

    @AfterAll
    static void removeRootfs() throws Exception {
        delete(scratch);
    }

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "bnc");
        service = new NetworkService(new NetworkConfig(dir.resolve("network"), "bnc", Subnet.parse("10.233.0.0/16"), 24, "127.0.0.1"));
        service.restore(Set.of());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (RunningProcess p : started) {
            p.kill(9);
        }
        for (RunningProcess p : started) {
            try {
                p.exit().get(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the test
            }
        }
        service.teardown();
        delete(dir);
        assertThat(TestNamespaces.sh("ip -br link | grep -c '^bnc' || true").strip()).isEqualTo("0");
    }

    record Started(RunningProcess process, RuntimeSpec spec, PreparedNetwork network, List<String> monitorNetwork) {
    }

    /** How the container service starts a container with networking. */
    private Started start(String name, String network, List<String> aliases, List<String> ports, String... args) throws Exception {
        return start(name, network, aliases, ports, veths -> veths, args);
    }

    /**
     * @param veths what to ask the monitor for, given what {@link NetworkService#prepare} asked (tests break it on
     *              purpose to see the fallback)
     */
    private Started start(String name, String network, List<String> aliases, List<String> ports,
            java.util.function.UnaryOperator<List<String>> veths, String... args) throws Exception {
        String id = "n" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        List<PortBinding> bindings = new ArrayList<>();
        for (String p : ports) {
            bindings.addAll(PortSpecs.parse(p, "127.0.0.1"));
        }
        NetworkMode mode = NetworkMode.parse(network);
        PreparedNetwork prepared = service.prepare(new NetworkRequest(id, name, name, mode, aliases, bindings, List.of()));
        List<Mount> mounts = new ArrayList<>();
        for (Map.Entry<String, Path> f : prepared.files().entrySet()) {
            mounts.add(new Mount(f.getValue(), f.getKey(), false));
        }
        Path c = Files.createDirectories(dir.resolve(id));
        List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        RuntimeSpec spec = RuntimeSpec.builder(id, Files.createDirectories(c.resolve("s")))
                .rootfs(List.of(lower), Files.createDirectories(c.resolve("u")), Files.createDirectories(c.resolve("w")))
                .hostname(name).args(args).mounts(mounts)
                .network(mode.kind() == NetworkMode.Kind.NONE ? dev.berth.engine.runtime.NetworkMode.none()
                        : dev.berth.engine.runtime.NetworkMode.newNamespace(veths.apply(prepared.veths())))
                .beforeExec(new dev.berth.engine.runtime.BeforeExec() {
                    @Override
                    public void run(long pid) {
                        run(pid, null);
                    }

                    @Override
                    public void run(long pid, String monitorNetwork) {
                        reports.add(String.valueOf(monitorNetwork));
                        prepared.hook().beforeExec(pid, monitorNetwork);
                    }
                })
                .build();
        RunningProcess p = runtime.start(spec);
        started.add(p);
        return new Started(p, spec, prepared, reports);
    }

    private static String output(Started s) throws Exception {
        ExitStatus status = s.process().exit().get(30, TimeUnit.SECONDS);
        StringBuilder out = new StringBuilder();
        for (LogRecord r : new LogReader(s.spec().log()).read(LogQuery.ALL)) {
            out.append(new String(r.bytes(), StandardCharsets.UTF_8));
        }
        return status.code() + ":" + out;
    }

    @Test
    void busyboxHttpdAnswersThroughAPublishedPortOnLoopback() throws Exception {
        Started web = start("web", "bridge", List.of(), List.of("127.0.0.1::80"), "busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        int port = web.network().ports().get(0).hostPort();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String body = null;
        for (int i = 0; i < 50 && body == null; i++) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        assertThat(body).isEqualTo("served from a container");

        // stop: the port is free again
        web.process().kill(9);
        web.process().exit().get(20, TimeUnit.SECONDS);
        service.release(web.spec().id());
        dev.berth.engine.testing.Ports.awaitBindable(port);
    }

    @Test
    void containersOnOneUserNetworkFindEachOtherByNameAndOthersCannotReachThem() throws Exception {
        service.create("shop", null);
        service.create("elsewhere", null);
        Started web = start("web", "shop", List.of("store"), List.of(), "busybox", "httpd", "-f", "-p", "80", "-h", "/www");
        String webIp = web.network().endpoints().get(0).ip();
        String script = "for i in $(seq 50); do wget -q -O- http://%s/ && exit 0; sleep 0.1; done; exit 1";
        assertThat(output(start("client", "shop", List.of(), List.of(), "sh", "-c", script.formatted("web"))))
                .isEqualTo("0:served from a container");
        assertThat(output(start("client2", "shop", List.of(), List.of(), "sh", "-c", script.formatted("store"))))
                .isEqualTo("0:served from a container");
        assertThat(output(start("outsider", "elsewhere", List.of(), List.of(), "sh", "-c",
                "timeout -s KILL 3 wget -q -O- http://" + webIp + "/; echo rc=$?; echo hosts=$(grep -c web /etc/hosts)")))
                .doesNotContain("served from a container").contains("rc=").doesNotContain("rc=0").contains("hosts=0");
        assertThat(output(start("named", "shop", List.of(), List.of(), "sh", "-c", "hostname; cat /etc/hostname")))
                .isEqualTo("0:named\nnamed\n");
    }

    @Test
    void theMonitorWiresTheVethItselfAndIpIsTheFallback() throws Exception {
        String script = "cat /sys/class/net/eth0/address; ip -o -4 addr show eth0 | awk '{print $4}'; ip route | grep default;"
                + " cat /sys/class/net/lo/operstate; echo done";
        Started viaMonitor = start("direct", "bridge", List.of(), List.of(), "sh", "-c", script);
        String ip = viaMonitor.network().endpoints().get(0).ip();
        String gateway = service.list().get(0).gateway();
        String expected = "0:" + NetworkService.mac(ip) + "\n" + ip + "/24\ndefault via " + gateway + " dev eth0 \nunknown\ndone\n";
        assertThat(output(viaMonitor)).isEqualTo(expected);
        assertThat(viaMonitor.monitorNetwork()).containsExactly("ok");
        assertThat(viaMonitor.network().veths()).singleElement().asString()
                .startsWith("host=" + viaMonitor.network().endpoints().get(0).hostVeth() + " bridge=bnc");

        // the monitor cannot find the bridge: it says so, and the ip path wires the same interface
        Started fallback = start("fallback", "bridge", List.of(), List.of(),
                v -> v.stream().map(s -> s.replaceFirst("bridge=\\S+", "bridge=bncnosuch")).toList(), "sh", "-c", script);
        String ip2 = fallback.network().endpoints().get(0).ip();
        assertThat(output(fallback)).isEqualTo("0:" + NetworkService.mac(ip2) + "\n" + ip2 + "/24\ndefault via " + gateway
                + " dev eth0 \nunknown\ndone\n");
        assertThat(fallback.monitorNetwork()).singleElement().asString()
                .startsWith("error netlink: cannot find the bridge bncnosuch");
    }

    @Test
    void noneHasOnlyLoopback() throws Exception {
        assertThat(output(start("isolated", "none", List.of(), List.of(), "sh", "-c", "ip -o link | cut -d: -f2 | tr -d ' '")))
                .isEqualTo("0:lo\n");
    }

    private static void delete(Path p) throws Exception {
        if (p != null) {
            // tolerates files that go away during the walk (a monitor unlinks its socket after the exit)
            dev.berth.engine.container.Trees.deleteRecursively(p);
        }
    }
}
