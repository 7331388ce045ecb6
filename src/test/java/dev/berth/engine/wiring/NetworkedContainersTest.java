package dev.berth.engine.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerInspect;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.container.ImageSource;
import dev.berth.engine.container.LogQuery;
import dev.berth.engine.container.NativeProcessRuntime;
import dev.berth.engine.container.PortBinding;
import dev.berth.engine.container.SourceImage;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.network.NetworkConfig;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.Subnet;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.engine.volume.VolumeService;

/**
 * The container lifecycle with the real network layer (bridges, veths, nftables under the prefix "bnw", pool
 * 10.234.0.0/16) and real containers (berth-monitor, busybox): published ports on loopback, names on user
 * networks, isolation between networks, {@code none}, ports freed at stop and restored with the engine.
 * Traffic goes only to 127.0.0.1 and to the containers' own addresses.
 */
class NetworkedContainersTest {
    private static final String IMAGE = "busybox:wiring";

    private Path root;
    private NetworkService networks;
    private ContainerService containers;
    private ImageSource images;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory(Path.of("/tmp"), "bnw");
        Path rootfs = TestRootfs.busybox(root.resolve("image/rootfs"));
        Files.writeString(Files.createDirectories(rootfs.resolve("www")).resolve("index.html"), "served by busybox httpd");
        SourceImage image = new SourceImage("sha256:" + "ab".repeat(32), IMAGE, List.of("PATH=/bin"), List.of(),
                List.of("/bin/sh"), "", "", Set.of("80/tcp"), Set.of(), Map.of(), "", List.of(rootfs));
        images = ref -> IMAGE.equals(ref) || image.id().equals(ref) ? Optional.of(image) : Optional.empty();
        open();
    }

    /** A fresh network and container service on the same root, as after an engine restart. */
    private void open() {
        networks = new NetworkService(new NetworkConfig(root.resolve("engine/network"), "bnw", Subnet.parse("10.234.0.0/16"),
                24, "127.0.0.1"));
        EngineEvents events = new EngineEvents();
        containers = new ContainerService(root.resolve("engine"), images,
                new NativeProcessRuntime(new NativeRuntime(MonitorBinary.fromBuildDir())),
                new VolumeService(root.resolve("engine"), events), events, new NetworkServiceNetworking(networks));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (ContainerSummary c : containers.list(new ContainerFilters(true, Map.of()))) {
                try {
                    containers.remove(c.id(), true, true);
                } catch (RuntimeException e) {
                    // keep cleaning
                }
            }
            containers.close();
        } finally {
            networks.teardown();
            dev.berth.engine.container.Trees.deleteRecursively(root);
        }
    }

    private String run(ContainerSpec spec) {
        String id = containers.create(spec).Id();
        containers.start(id);
        return id;
    }

    private String httpd(String name, String network, List<PortBinding> ports) {
        return run(ContainerSpec.builder(IMAGE).name(name).networkMode(network).portBindings(ports)
                .cmd("httpd", "-f", "-p", "80", "-h", "/www").build());
    }

    /** Runs a short-lived container to its end and returns "exitCode:output". */
    private String output(String name, String network, String script) throws Exception {
        String id = run(ContainerSpec.builder(IMAGE).name(name).networkMode(network).cmd("sh", "-c", script).build());
        int code = containers.waitFor(id, "not-running").get(60, TimeUnit.SECONDS);
        StringBuilder out = new StringBuilder();
        containers.logs(id, new LogQuery(true, true, null, null, -1, false), e -> {
            out.append(new String(e.data(), StandardCharsets.UTF_8));
            return true;
        });
        return code + ":" + out;
    }

    private static String get(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    @Test
    void httpdAnswersOnAPublishedLoopbackPortShownByInspectAndListAndFreedAtStop() throws Exception {
        String id = httpd("web", "default", List.of(new PortBinding(80, "tcp", "127.0.0.1", 0)));

        ContainerInspect inspect = containers.inspect(id);
        assertThat(inspect.HostConfig().PortBindings()).containsExactly(new PortBinding(80, "tcp", "127.0.0.1", 0));
        assertThat(inspect.NetworkSettings().Ports()).hasSize(1);
        PortBinding bound = inspect.NetworkSettings().Ports().get(0);
        assertThat(bound.hostPort()).isPositive();
        assertThat(bound.hostIp()).isEqualTo("127.0.0.1");
        assertThat(inspect.NetworkSettings().IPAddress()).startsWith("10.234.");
        assertThat(inspect.NetworkSettings().Networks()).containsKey("bridge");
        assertThat(containers.list(new ContainerFilters(false, Map.of())))
                .filteredOn(c -> c.id().equals(id)).singleElement()
                .satisfies(c -> assertThat(c.ports()).containsExactly(bound));

        assertThat(get(bound.hostPort())).isEqualTo("served by busybox httpd");
        assertThat(networks.rules()).contains(" " + bound.hostPort() + " : "); // an nft map element

        containers.stop(id, 5);
        dev.berth.engine.testing.Ports.awaitBindable(bound.hostPort()); // the port is free again
        assertThat(containers.inspect(id).NetworkSettings().Ports()).isEmpty();
        assertThat(containers.list(new ContainerFilters(true, Map.of())))
                .filteredOn(c -> c.id().equals(id)).singleElement()
                .satisfies(c -> assertThat(c.ports()).isEmpty());
        assertThat(networks.rules()).doesNotContain(" " + bound.hostPort() + " : ");
    }

    @Test
    void aPortHeldByAnotherContainerFailsTheStartAndLeavesNothingBehind() throws Exception {
        String first = httpd("first", "default", List.of(new PortBinding(80, "tcp", "127.0.0.1", 0)));
        int port = containers.inspect(first).NetworkSettings().Ports().get(0).hostPort();
        String second = containers.create(ContainerSpec.builder(IMAGE).name("second")
                .portBindings(List.of(new PortBinding(80, "tcp", "127.0.0.1", port))).cmd("httpd", "-f", "-p", "80").build()).Id();
        assertThatThrownBy(() -> containers.start(second)).isInstanceOf(EngineException.class)
                .hasMessageContaining("first").hasMessageContaining(Integer.toString(port));
        assertThat(containers.inspect(second).State().Running()).isFalse();
        assertThat(get(port)).isEqualTo("served by busybox httpd");
    }

    @Test
    void containersOnOneUserNetworkReachEachOtherByNameAndAnotherNetworkCannot() throws Exception {
        networks.create("shop", null);
        networks.create("elsewhere", null);
        String web = httpd("shopweb", "shop", List.of());
        String webIp = containers.inspect(web).NetworkSettings().Networks().get("shop").IPAddress();
        // (busybox-static's wget crashes with -T: bound the tries with timeout instead)
        String fetch = "for i in $(seq 50); do timeout -s KILL 3 wget -q -O- http://%s/ && exit 0; sleep 0.1; done; exit 1";

        assertThat(output("shopclient", "shop", fetch.formatted("shopweb"))).isEqualTo("0:served by busybox httpd");
        assertThat(output("shopping", "shop", "ping -c 1 -W 2 shopweb >/dev/null && echo reachable"))
                .isEqualTo("0:reachable\n");
        assertThat(output("outsider", "elsewhere",
                "grep -c shopweb /etc/hosts; timeout -s KILL 3 wget -q -O- http://" + webIp + "/; echo rc=$?"))
                .startsWith("0:0\n").contains("rc=").doesNotContain("served by busybox httpd");
    }

    @Test
    void noneHasOnlyLoopback() throws Exception {
        assertThat(output("isolated", "none", "ls /sys/class/net")).isEqualTo("0:lo\n");
    }

    @Test
    void aContainerJoinsAnothersNetworkNamespace() throws Exception {
        httpd("host1", "default", List.of());
        assertThat(output("sidecar", "container:host1", "wget -q -O- http://127.0.0.1/")).isEqualTo("0:served by busybox httpd");
    }

    @Test
    void runningContainersKeepTheirPortsWhenTheEngineRestarts() throws Exception {
        String id = httpd("survivor", "default", List.of(new PortBinding(80, "tcp", "127.0.0.1", 0)));
        int port = containers.inspect(id).NetworkSettings().Ports().get(0).hostPort();
        assertThat(get(port)).isEqualTo("served by busybox httpd");

        // the engine goes away (its port reservations with it); the container keeps running in its monitor
        containers.close();
        networks.close();
        open();

        assertThat(containers.inspect(id).State().Running()).isTrue();
        assertThat(containers.inspect(id).NetworkSettings().Ports()).extracting(PortBinding::hostPort).containsExactly(port);
        assertThat(get(port)).isEqualTo("served by busybox httpd");
        // the reservation is held again: a host process cannot take the port
        assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close()).isInstanceOf(IOException.class);

        containers.stop(id, 5);
        dev.berth.engine.testing.Ports.awaitBindable(port);
    }
}
