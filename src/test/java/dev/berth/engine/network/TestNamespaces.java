package dev.berth.engine.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for containers until the runtime exists: named network namespaces ({@code ip netns add}) with
 * processes started inside them, each process also in a private mount namespace where the container's
 * hosts/resolv.conf files are bind-mounted over /etc, as the runtime will. Everything is removed by
 * {@link #close()}, also after a failure.
 */
public final class TestNamespaces implements AutoCloseable {

    private final String prefix;
    private final List<String> names = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    public TestNamespaces(String prefix) {
        this.prefix = prefix;
    }

    /** Creates namespace {@code prefix-name} and a long-lived process in it; returns that process's pid. */
    public long create(String name) throws Exception {
        String ns = prefix + "-" + name;
        sh("ip netns del " + ns + " 2>/dev/null; ip netns add " + ns);
        names.add(ns);
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "3600").start();
        processes.add(p);
        // the pid is known before "ip netns exec" has entered the namespace: wait until it has
        Object own = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino");
        waitFor(() -> !own.equals(Files.getAttribute(Path.of("/proc/" + p.pid() + "/ns/net"), "unix:ino")));
        return p.pid();
    }

    public String ns(String name) {
        return prefix + "-" + name;
    }

    /** Starts busybox httpd in the namespace serving {@code body} at / on {@code port}. */
    public Path httpd(String name, int port, String body) throws Exception {
        Path www = Files.createTempDirectory("berth-www");
        Files.writeString(www.resolve("index.html"), body);
        processes.add(new ProcessBuilder("ip", "netns", "exec", ns(name), "busybox", "httpd", "-f", "-p", String.valueOf(port), "-h", www.toString())
                .redirectErrorStream(true).start());
        waitFor(() -> exec(name, null, "timeout", "2", "busybox", "wget", "-q", "-O-", "http://127.0.0.1:" + port + "/").exitCode == 0);
        return www;
    }

    /** Starts a long-running process in the namespace and returns it (its stdout is readable). */
    public Process start(String name, String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(name)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    public record Result(int exitCode, String output) {
    }

    /**
     * Runs a command in the namespace; with {@code hostsFile} it sees that file as /etc/hosts (bind mount in a
     * private mount namespace), as a container would.
     */
    public Result exec(String name, Path hostsFile, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(name), "unshare", "--mount", "--propagation", "private", "sh", "-c"));
        StringBuilder script = new StringBuilder();
        if (hostsFile != null) {
            script.append("mount --bind '").append(hostsFile).append("' /etc/hosts && ");
        }
        script.append("exec");
        for (String c : command) {
            script.append(" '").append(c.replace("'", "'\\''")).append("'");
        }
        cmd.add(script.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timeout");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    public interface Check {
        boolean ok() throws Exception;
    }

    public static void waitFor(Check check) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not reached within 5 s");
    }

    /** Kills the processes of a namespace's stand-in (as a container stop would). */
    public void kill(String name) throws Exception {
        sh("ip netns pids " + ns(name) + " | xargs -r kill -9");
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (String ns : names) {
            sh("ip netns pids " + ns + " | xargs -r kill -9; ip netns del " + ns);
        }
    }
}
