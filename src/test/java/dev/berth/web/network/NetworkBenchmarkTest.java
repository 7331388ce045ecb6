package dev.berth.web.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.berth.engine.network.NetworkMode;
import dev.berth.engine.network.NetworkRequest;
import dev.berth.engine.network.NetworkService;
import dev.berth.engine.network.PortSpecs;
import dev.berth.engine.network.PreparedNetwork;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.Mount;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * bench/network: not a test (it asserts nothing); runs only with {@code -Dberth.bench=true}, from
 * bench/network/run.sh, which starts dockerd and imports the image {@code berthbench/busybox} first. Prints
 * medians of Berth and Docker side by side, measured in the same run.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class NetworkBenchmarkTest {

    private static final int STARTS = Integer.getInteger("berth.bench.starts", 30);
    private static final int DOCKER_STARTS = Integer.getInteger("berth.bench.docker-starts", 15);
    private static final int REQUESTS = Integer.getInteger("berth.bench.requests", 2000);
    private static final int DOWNLOADS = Integer.getInteger("berth.bench.downloads", 7);

    @Inject
    NetworkService networks;
    @ConfigProperty(name = "quarkus.http.test-port")
    int httpPort;

    private final NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
    private final List<RunningProcess> running = new ArrayList<>();
    private final List<String> dockerContainers = new ArrayList<>();
    private final StringBuilder report = new StringBuilder();
    private Path dir;
    private Path lower;

    @AfterAll
    void cleanUp() throws Exception {
        for (RunningProcess p : running) {
            p.kill(9);
            p.exit().get(20, TimeUnit.SECONDS);
        }
        for (String c : dockerContainers) {
            sh("docker rm -f " + c);
        }
        networks.teardown();
        networks.restore(List.of()); // shared by every test of this Quarkus app: leave it usable
        sh("rm -rf " + dir);
    }

    @Test
    void measure() throws Exception {
        networks.restore(List.of());
        dir = Files.createTempDirectory(Path.of("/tmp"), "bnb");
        lower = TestRootfs.busybox(dir.resolve("rootfs"));
        Files.createDirectories(lower.resolve("www"));
        Files.write(lower.resolve("www/index.html"), new byte[612]);
        sh("head -c 268435456 /dev/zero > " + lower.resolve("www/big.bin"));

        Path out = Path.of(System.getProperty("berth.bench.out", "target/bench-network.txt"));
        startTimes();
        Files.writeString(out, report + "(forwarding figures not measured: the run stopped after the start times)\n");
        forwarding();

        String text = report.toString();
        System.out.println("\n==== bench/network results ====\n" + text);
        Files.writeString(out, text);
    }

    // ------------------------------------------------------------------ container start

    /** One {@code run --rm true} on the default network: {setup cost, total, until exec'd} in ms. */
    private double[] runWithNetwork(boolean monitorVeth) throws Exception {
        // run --rm true, default network: prepare, start (monitor or hook wires the namespace), wait, release
        long t0 = System.nanoTime();
        String id = newId();
        PreparedNetwork net = networks.prepare(new NetworkRequest(id, id, null, NetworkMode.parse("bridge"), List.of(), List.of(), List.of()));
        long[] hookNanos = new long[1];
        dev.berth.engine.runtime.BeforeExec hook = new dev.berth.engine.runtime.BeforeExec() {
            @Override
            public void run(long pid) {
                run(pid, null);
            }

            @Override
            public void run(long pid, String monitorNetwork) {
                long h = System.nanoTime();
                if (monitorVeth && !"ok".equals(monitorNetwork)) {
                    throw new IllegalStateException("the monitor did not wire the veth: " + monitorNetwork);
                }
                net.hook().beforeExec(pid, monitorNetwork);
                hookNanos[0] = System.nanoTime() - h;
            }
        };
        RuntimeSpec spec = spec(id, mounts(net), monitorVeth ? dev.berth.engine.runtime.NetworkMode.newNamespace(net.veths())
                : dev.berth.engine.runtime.NetworkMode.newNamespace(), hook, "true");
        long prepareNanos = System.nanoTime() - t0;
        RunningProcess p = runtime.start(spec);
        long started = System.nanoTime();
        p.exit().get(30, TimeUnit.SECONDS);
        long r0 = System.nanoTime();
        networks.release(id);
        long releaseNanos = System.nanoTime() - r0;
        long total = System.nanoTime() - t0;
        return new double[] {(prepareNanos + hookNanos[0] + releaseNanos) / 1e6, total / 1e6, (started - t0) / 1e6};
    }

    private void startTimes() throws Exception {
        List<Double> setup = new ArrayList<>();
        List<Double> withNet = new ArrayList<>();
        List<Double> startWithNet = new ArrayList<>();
        List<Double> withIp = new ArrayList<>();
        List<Double> setupIp = new ArrayList<>();
        List<Double> noNet = new ArrayList<>();
        for (int i = 0; i < STARTS + 3; i++) {
            double[] viaMonitor = runWithNetwork(true);
            double[] viaIp = runWithNetwork(false);
            // same without network
            String id2 = newId();
            long n0 = System.nanoTime();
            RunningProcess q = runtime.start(spec(id2, List.of(), dev.berth.engine.runtime.NetworkMode.none(), null, "true"));
            q.exit().get(30, TimeUnit.SECONDS);
            long totalNoNet = System.nanoTime() - n0;
            if (i >= 3) {
                setup.add(viaMonitor[0]);
                withNet.add(viaMonitor[1]);
                startWithNet.add(viaMonitor[2]);
                setupIp.add(viaIp[0]);
                withIp.add(viaIp[1]);
                noNet.add(totalNoNet / 1e6);
            }
        }
        List<Double> dockerNet = new ArrayList<>();
        List<Double> dockerNone = new ArrayList<>();
        for (int i = 0; i < DOCKER_STARTS + 2; i++) {
            long t0 = System.nanoTime();
            sh("docker run --rm berthbench/busybox true");
            long t1 = System.nanoTime();
            sh("docker run --rm --network none berthbench/busybox true");
            long t2 = System.nanoTime();
            if (i >= 2) {
                dockerNet.add((t1 - t0) / 1e6);
                dockerNone.add((t2 - t1) / 1e6);
            }
        }
        line("## Container start (busybox `true`), medians over %d runs (Docker: %d)", STARTS, DOCKER_STARTS);
        line("| what | Berth | Docker 20.10 | Berth/Docker |");
        line("|---|---|---|---|");
        line("| network setup + teardown cost (prepare + BeforeExec hook + release) | %.1f ms | – | – |", median(setup));
        line("| the same with the old path (hook runs `ip -batch` + `nsenter ip -batch`) | %.1f ms | – | – |", median(setupIp));
        line("| start until exec'd, default bridge network (prepare + runtime.start) | %.1f ms | – | – |", median(startWithNet));
        line("| `run --rm true`, default bridge network | %.1f ms | %.1f ms | %.2f |", median(withNet), median(dockerNet),
                median(withNet) / median(dockerNet));
        line("| `run --rm true`, default bridge network, old path (`ip` from the hook) | %.1f ms | – | – |", median(withIp));
        line("| `run --rm true`, no network | %.1f ms | %.1f ms | %.2f |", median(noNet), median(dockerNone),
                median(noNet) / median(dockerNone));
        line("");
    }

    // ------------------------------------------------------------------ forwarding

    private void forwarding() throws Exception {
        String id = newId();
        PreparedNetwork net = networks.prepare(new NetworkRequest(id, "benchweb", null, NetworkMode.parse("bridge"), List.of(),
                PortSpecs.parse("127.0.0.1::80", "127.0.0.1"), List.of()));
        RunningProcess web = runtime.start(spec(id, mounts(net), dev.berth.engine.runtime.NetworkMode.newNamespace(net.veths()),
                new dev.berth.engine.runtime.BeforeExec() {
                    @Override
                    public void run(long pid) {
                        net.hook().beforeExec(pid);
                    }

                    @Override
                    public void run(long pid, String monitorNetwork) {
                        net.hook().beforeExec(pid, monitorNetwork);
                    }
                }, "busybox", "httpd", "-f", "-p", "80", "-h", "/www"));
        running.add(web);
        int berthPort = net.ports().get(0).hostPort();
        String container = net.endpoints().get(0).ip() + ":80";

        sh("docker rm -f berthbench-web");
        sh("docker run -d --name berthbench-web -p 127.0.0.1::80 -v " + lower.resolve("www") + ":/www:ro berthbench/busybox busybox httpd -f -p 80 -h /www");
        dockerContainers.add("berthbench-web");
        int dockerPort = Integer.parseInt(sh("docker port berthbench-web 80/tcp").strip().replaceAll(".*:", ""));

        String cookie = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "test-admin-password")).post("/api/session")
                .then().statusCode(200).extract().cookie("berth_session");
        String link = "http://127.0.0.1:" + httpPort + "/ports/benchweb/80";
        waitUntilServing("http://127.0.0.1:" + berthPort + "/index.html", null);
        waitUntilServing("http://127.0.0.1:" + dockerPort + "/index.html", null);
        waitUntilServing(link + "/index.html", cookie);

        Map<String, String[]> targets = new java.util.LinkedHashMap<>();
        targets.put("container address directly (no forwarding, floor)", new String[] {"http://" + container, null});
        targets.put("Berth published port 127.0.0.1 (kernel DNAT)", new String[] {"http://127.0.0.1:" + berthPort, null});
        targets.put("Berth port link /ports/… (Vert.x proxy, session cookie)", new String[] {link, cookie});
        targets.put("Docker published port 127.0.0.1 (docker-proxy)", new String[] {"http://127.0.0.1:" + dockerPort, null});

        line("## Forwarding to busybox httpd, medians (same run)");
        line("| path | connect+GET 612 B, 1 client, new conn each (ms) | req/s, 8 clients, new conn each | download 256 MiB (MiB/s) |");
        line("|---|---|---|---|");
        Map<String, List<Double>> speeds = new java.util.LinkedHashMap<>();
        Map<String, double[]> small = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String[]> t : targets.entrySet()) {
            String cookieArg = t.getValue()[1] == null ? "" : " -C berth_session=" + t.getValue()[1];
            String base = t.getValue()[0];
            small.put(t.getKey(), new double[] {
                    abMedian(sh("ab -q -r -s 60 -n " + REQUESTS + " -c 1" + cookieArg + " " + base + "/index.html")),
                    abRate(sh("ab -q -r -s 60 -n " + (REQUESTS * 2) + " -c 8" + cookieArg + " " + base + "/index.html"))});
            speeds.put(t.getKey(), new ArrayList<>());
        }
        // downloads interleaved round by round, so that load from elsewhere on the machine hits every path alike
        for (int i = 0; i < DOWNLOADS; i++) {
            for (Map.Entry<String, String[]> t : targets.entrySet()) {
                String curlCookie = t.getValue()[1] == null ? "" : " -b berth_session=" + t.getValue()[1];
                speeds.get(t.getKey()).add(Double.parseDouble(
                        sh("curl -s -o /dev/null" + curlCookie + " -w '%{speed_download}' " + t.getValue()[0] + "/big.bin").strip()) / (1024 * 1024));
            }
        }
        for (String k : targets.keySet()) {
            line("| %s | %.3f | %.0f | %.0f |", k, small.get(k)[0], small.get(k)[1], median(speeds.get(k)));
        }
        String session = " -C berth_session=" + cookie + " http://127.0.0.1:" + httpPort + "/api/session";
        line("| (for scale) Berth's session check alone: GET /api/session, no proxy | %.3f | %.0f | – |",
                abMedian(sh("ab -q -r -s 60 -n " + REQUESTS + " -c 1" + session)), abRate(sh("ab -q -r -s 60 -n " + (REQUESTS * 2) + " -c 8" + session)));
        line("");
    }

    private void waitUntilServing(String url, String cookie) throws Exception {
        for (int i = 0; i < 100; i++) {
            String code = sh("curl -s -o /dev/null -w '%{http_code}'" + (cookie == null ? "" : " -b berth_session=" + cookie) + " " + url).strip();
            if (code.equals("200")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not serving: " + url);
    }

    /** ab's "Total" median (ms) from the "Connection Times" table. */
    private static double abMedian(String out) {
        Matcher m = Pattern.compile("(?m)^Total:\\s+\\S+\\s+\\S+\\s+\\S+\\s+(\\S+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected ab output: " + out);
        }
        // ab rounds to whole ms; use the mean time per request for sub-ms resolution when the median is 0-1 ms
        Matcher mean = Pattern.compile("Time per request:\\s+([0-9.]+) \\[ms\\] \\(mean\\)").matcher(out);
        double median = Double.parseDouble(m.group(1));
        return mean.find() && median <= 1 ? Double.parseDouble(mean.group(1)) : median;
    }

    private static double abRate(String out) {
        Matcher m = Pattern.compile("Requests per second:\\s+([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected ab output: " + out);
        }
        Matcher failed = Pattern.compile("Failed requests:\\s+([0-9]+)").matcher(out);
        if (failed.find() && !failed.group(1).equals("0")) {
            System.out.println("ab saw failed requests (reported, not hidden): " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    // ------------------------------------------------------------------ helpers

    private RuntimeSpec spec(String id, List<Mount> mounts, dev.berth.engine.runtime.NetworkMode mode,
            dev.berth.engine.runtime.BeforeExec hook, String... args) throws IOException {
        Path c = Files.createDirectories(dir.resolve(id));
        return RuntimeSpec.builder(id, Files.createDirectories(c.resolve("s")))
                .rootfs(List.of(lower), Files.createDirectories(c.resolve("u")), Files.createDirectories(c.resolve("w")))
                .args(args).mounts(mounts).network(mode).beforeExec(hook).build();
    }

    private static List<Mount> mounts(PreparedNetwork net) {
        List<Mount> m = new ArrayList<>();
        net.files().forEach((target, source) -> m.add(new Mount(source, target, false)));
        return m;
    }

    private static String newId() {
        return "b" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        return out;
    }
}
