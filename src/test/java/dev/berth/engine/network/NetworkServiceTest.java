package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.engine.EngineException;

/**
 * The network layer against the real kernel (root): bridges, veths, nftables, port reservations. Network
 * namespaces made with {@code ip netns} stand in for containers; the hook gets the pid of a process inside,
 * exactly as the runtime's BeforeExec callback will. Own prefix ("bnt") and pool so that concurrent test
 * runs of other areas never share a bridge, a subnet or the nftables table.
 */
class NetworkServiceTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    Path root;
    private NetworkConfig config;
    private NetworkService service;
    private TestNamespaces ns;

    @BeforeEach
    void setUp() {
        config = new NetworkConfig(root.resolve("network"), "bnt", Subnet.parse("10.231.0.0/16"), 24, "127.0.0.1");
        service = new NetworkService(config);
        service.restore(Set.of());
        ns = new TestNamespaces("bnt");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            ns.close();
        } finally {
            service.teardown();
        }
        assertThat(TestNamespaces.sh("ip -br link | grep -c '^bnt' || true").strip()).isEqualTo("0");
        assertThat(TestNamespaces.sh("nft list tables")).doesNotContain("table ip bnt");
    }

    private PreparedNetwork start(String id, String name, String network, List<String> aliases, String... ports) throws Exception {
        List<PortBinding> bindings = new java.util.ArrayList<>();
        for (String p : ports) {
            bindings.addAll(PortSpecs.parse(p, config.defaultHostIp()));
        }
        PreparedNetwork prepared = service.prepare(new NetworkRequest(id, name, null, NetworkMode.parse(network), aliases, bindings, List.of()));
        long pid = ns.create(name);
        prepared.hook().beforeExec(pid);
        return prepared;
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void httpdAnswersThroughAPublishedPortOnLoopback() throws Exception {
        PreparedNetwork web = start("c1aaaaaaaaaaaaaa", "web", "bridge", List.of(), "80");
        ns.httpd("web", 80, "hello from web");

        PortBinding bound = web.ports().get(0);
        assertThat(bound.hostIp()).isEqualTo("127.0.0.1");
        assertThat(bound.hostPort()).isPositive();
        assertThat(get("http://127.0.0.1:" + bound.hostPort() + "/")).isEqualTo("hello from web");
        // the container has an address of the default network, a default route, and its own hostname file
        String ip = web.endpoints().get(0).ip();
        assertThat(ip).startsWith("10.231.0.");
        assertThat(ns.exec("web", null, "ip", "route").output()).contains("default via 10.231.0.1");
        assertThat(Files.readString(web.files().get("/etc/hostname"))).isEqualTo("c1aaaaaaaaaa\n");
        assertThat(Files.readString(web.files().get("/etc/hosts"))).contains(ip + "\tc1aaaaaaaaaa");
    }

    @Test
    void udpThroughAPublishedPort() throws Exception {
        PreparedNetwork dns = start("c2aaaaaaaaaaaaaa", "udp", "bridge", List.of(), "127.0.0.1::5353/udp");
        Process echo = ns.start("udp", "python3", "-u", "-c",
                "import socket\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',5353))\nprint('ready')\n"
                        + "while True:\n d,a=s.recvfrom(2048)\n s.sendto(b'echo:'+d,a)\n");
        assertThat(readLine(echo.getInputStream())).isEqualTo("ready");

        int port = dns.ports().get(0).hostPort();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(ping, ping.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("echo:ping");
        }
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAndAliasButNotAcrossNetworks() throws Exception {
        service.create("front", null);
        service.create("back", null);
        PreparedNetwork web = start("c3aaaaaaaaaaaaaa", "web", "front", List.of("www"));
        PreparedNetwork client = start("c4aaaaaaaaaaaaaa", "client", "front", List.of());
        start("c5aaaaaaaaaaaaaa", "other", "back", List.of());
        ns.httpd("web", 80, "by name");
        Path clientHosts = client.files().get("/etc/hosts");
        Path otherHosts = service.container("other").map(c -> root.resolve("network/containers/c5aaaaaaaaaaaaaa/hosts")).orElseThrow();

        assertThat(ns.exec("client", clientHosts, "timeout", "5", "busybox", "wget", "-q", "-O-", "http://web/").output()).isEqualTo("by name");
        assertThat(ns.exec("client", clientHosts, "timeout", "5", "busybox", "wget", "-q", "-O-", "http://www/").output()).isEqualTo("by name");
        // the third container knows neither the name nor a route to the address
        assertThat(Files.readString(otherHosts)).doesNotContain("web");
        String webIp = web.endpoints().get(0).ip();
        TestNamespaces.Result direct = ns.exec("other", otherHosts, "timeout", "3", "busybox", "wget", "-q", "-O-", "http://" + webIp + "/");
        assertThat(direct.exitCode()).isNotZero();
        assertThat(direct.output()).doesNotContain("by name");

        // disconnect: the peer disappears from hosts files; connect: it comes back under a new alias
        service.disconnect("front", "client");
        assertThat(Files.readString(web.files().get("/etc/hosts"))).doesNotContain("client");
        service.connect("front", "client", List.of("cli"));
        assertThat(Files.readString(web.files().get("/etc/hosts"))).contains("client cli");
        assertThat(ns.exec("client", clientHosts, "timeout", "5", "busybox", "wget", "-q", "-O-", "http://web/").output()).isEqualTo("by name");

        // a network in use cannot be removed
        assertThatThrownBy(() -> service.remove("front")).isInstanceOf(EngineException.class)
                .hasMessageContaining("in use by").hasMessageContaining("web");
    }

    @Test
    void legacyLinksBecomeHostsEntries() throws Exception {
        PreparedNetwork db = start("c6aaaaaaaaaaaaaa", "db", "bridge", List.of());
        PreparedNetwork app = service.prepare(new NetworkRequest("c7aaaaaaaaaaaaaa", "app", null, NetworkMode.parse("bridge"),
                List.of(), List.of(), List.of(Link.parse("db:database"))));
        assertThat(Files.readString(app.files().get("/etc/hosts"))).contains(db.endpoints().get(0).ip() + "\tdatabase db");
    }

    @Test
    void conflictsInvalidSpecsAndUnknownNetworksAreClearErrors() throws Exception {
        PreparedNetwork first = start("c8aaaaaaaaaaaaaa", "first", "bridge", List.of(), "127.0.0.1::80");
        int taken = first.ports().get(0).hostPort();

        assertThatThrownBy(() -> service.prepare(request("c9aaaaaaaaaaaaaa", "second", "bridge", "127.0.0.1:" + taken + ":80")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.CONFLICT))
                .hasMessageContaining(String.valueOf(taken)).hasMessageContaining("container 'first'");
        try (ServerSocket host = new ServerSocket()) {
            host.bind(new InetSocketAddress("127.0.0.1", 0));
            assertThatThrownBy(() -> service.prepare(request("caaaaaaaaaaaaaaa", "third", "bridge", "127.0.0.1:" + host.getLocalPort() + ":80")))
                    .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo("port_in_use"))
                    .hasMessageContaining(String.valueOf(host.getLocalPort())).hasMessageContaining("a host process");
        }
        assertThatThrownBy(() -> PortSpecs.parse("80:http", "0.0.0.0")).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.INVALID_ARGUMENT)).hasMessageContaining("'80:http'");
        assertThatThrownBy(() -> service.prepare(request("cbaaaaaaaaaaaaaa", "lost", "nowhere")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.NOT_FOUND))
                .hasMessageContaining("Network 'nowhere' does not exist");
        assertThatThrownBy(() -> service.prepare(request("ccaaaaaaaaaaaaaa", "alone", "none", "8080:80")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo("ports_need_network"));
        // a failed request holds nothing: the same container can then start cleanly
        assertThat(service.container("second")).isEmpty();
    }

    @Test
    void portsAreReleasedOnStopAndRestoredAfterAnEngineRestart() throws Exception {
        PreparedNetwork web = start("cdaaaaaaaaaaaaaa", "web", "bridge", List.of(), "127.0.0.1::80");
        ns.httpd("web", 80, "still here");
        int port = web.ports().get(0).hostPort();
        String ip = web.endpoints().get(0).ip();

        // engine restart: a new service over the same state; the container keeps running meanwhile
        service.close();
        assertThat(get("http://127.0.0.1:" + port + "/")).as("kernel forwarding survives the Java process").isEqualTo("still here");
        NetworkService restarted = new NetworkService(config);
        assertThat(restarted.restore(Set.of("cdaaaaaaaaaaaaaa"))).isEmpty();
        service = restarted;
        assertThat(restarted.container("web").orElseThrow().endpoints().get(0).ip()).isEqualTo(ip);
        assertThat(restarted.container("web").orElseThrow().ports()).containsExactlyElementsOf(web.ports());
        assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
                .as("the port is held again").isInstanceOf(java.net.BindException.class);
        assertThat(get("http://127.0.0.1:" + port + "/")).isEqualTo("still here");

        // stop: ports, rule and address are released (published ports are nft map elements "[addr . ]port : ip . port")
        assertThat(restarted.rules()).contains(" " + port + " : " + ip + " . 80");
        assertThat(TestNamespaces.sh("nft list table ip bnt")).contains(" " + port + " : " + ip + " . 80");
        ns.kill("web");
        restarted.release("cdaaaaaaaaaaaaaa");
        assertThat(restarted.rules()).doesNotContain(" " + port + " : ");
        restarted.settle();
        assertThat(TestNamespaces.sh("nft list table ip bnt")).doesNotContain(" " + port + " : ");
        new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
        assertThat(restarted.container("web")).isEmpty();
        assertThat(restarted.prepare(request("ceaaaaaaaaaaaaaa", "next", "bridge")).endpoints().get(0).ip()).isEqualTo(ip);
    }

    @Test
    void restoreForgetsContainersThatStoppedWhileTheEngineWasDown() throws Exception {
        PreparedNetwork web = start("cfaaaaaaaaaaaaaa", "web", "bridge", List.of(), "127.0.0.1::80");
        int port = web.ports().get(0).hostPort();
        service.close();
        NetworkService restarted = new NetworkService(config);
        restarted.restore(Set.of());
        service = restarted;
        assertThat(restarted.container("web")).isEmpty();
        assertThat(restarted.rules()).doesNotContain(" " + port + " : ");
        new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close();
    }

    @Test
    void noneHasOnlyLoopback() throws Exception {
        PreparedNetwork none = start("d0aaaaaaaaaaaaaa", "none", "none", List.of());
        assertThat(none.endpoints()).isEmpty();
        String links = ns.exec("none", null, "ip", "-o", "link").output();
        assertThat(links.lines().toList()).hasSize(1);
        assertThat(links).contains("lo:").contains("UP");
        assertThat(ns.exec("none", null, "ip", "-4", "route").output()).isBlank();
    }

    @Test
    void userNetworksGetDistinctSubnetsAndCanBeRemovedWhenUnused() {
        Network a = service.create("alpha", null);
        Network b = service.create("beta", "10.231.200.0/24");
        assertThat(a.subnet()).isNotEqualTo(service.inspect("bridge").network().subnet());
        assertThat(b.gateway()).isEqualTo("10.231.200.1");
        assertThat(Bridges.exists(a.bridge())).isTrue();
        assertThatThrownBy(() -> service.create("gamma", "10.231.200.128/25")).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> service.create("alpha", null)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> service.remove("bridge")).hasMessageContaining("built in");
        service.remove("alpha");
        assertThat(Bridges.exists(a.bridge())).isFalse();
        assertThat(service.list()).extracting(Network::name).containsExactly("bridge", "beta");
    }

    private NetworkRequest request(String id, String name, String network, String... ports) {
        List<PortBinding> bindings = new java.util.ArrayList<>();
        for (String p : ports) {
            bindings.addAll(PortSpecs.parse(p, config.defaultHostIp()));
        }
        return new NetworkRequest(id, name, null, NetworkMode.parse(network), List.of(), bindings, List.of());
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            s.append((char) c);
        }
        return s.toString();
    }
}
