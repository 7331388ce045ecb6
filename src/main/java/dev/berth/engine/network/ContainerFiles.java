package dev.berth.engine.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * The {@code /etc/hosts}, {@code /etc/resolv.conf} and {@code /etc/hostname} files of a container, kept under
 * {@code <state>/containers/<id>/} and bind-mounted into it by the container layer.
 *
 * <p>Name resolution on user networks is done with these hosts files, rewritten for every member whenever a
 * container joins or leaves the network, not with an embedded DNS server: no daemon, no port 53 redirect, it
 * keeps working while the Java process restarts (containers outlive it), and getaddrinfo reads it for every
 * lookup. The price: tools that query DNS directly ({@code nslookup}, {@code dig}) do not see container
 * names, and a program that caches a lookup keeps a stale address after its peer restarts with a new one.
 * Files are rewritten in place (never renamed over) because a bind mount pins the inode.
 */
final class ContainerFiles {

    static final String HOSTS = "/etc/hosts";
    static final String RESOLV = "/etc/resolv.conf";
    static final String HOSTNAME = "/etc/hostname";

    private final Path root;

    ContainerFiles(Path stateDir) {
        this.root = stateDir.resolve("containers");
    }

    Path dir(String containerId) {
        return root.resolve(containerId);
    }

    /** Container path to host file, for the container layer to bind-mount. */
    Map<String, Path> files(String containerId) {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put(HOSTS, dir(containerId).resolve("hosts"));
        m.put(RESOLV, dir(containerId).resolve("resolv.conf"));
        m.put(HOSTNAME, dir(containerId).resolve("hostname"));
        return m;
    }

    void writeAll(ContainerNetwork c, List<String> hostsLines, boolean hostMode) {
        try {
            Files.createDirectories(dir(c.containerId()));
        } catch (IOException e) {
            throw failed(c, e);
        }
        writeHosts(c, hostsLines);
        rewrite(c, dir(c.containerId()).resolve("resolv.conf"), resolvConf(hostMode));
        rewrite(c, dir(c.containerId()).resolve("hostname"), c.hostname() + "\n");
    }

    void writeHosts(ContainerNetwork c, List<String> lines) {
        StringBuilder s = new StringBuilder();
        s.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        for (String l : lines) {
            s.append(l).append('\n');
        }
        rewrite(c, dir(c.containerId()).resolve("hosts"), s.toString());
    }

    void delete(String containerId) {
        Path d = dir(containerId);
        try {
            if (Files.isDirectory(d)) {
                try (var files = Files.list(d)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(d);
            }
        } catch (IOException ignored) {
            // a leftover directory is harmless
        }
    }

    /**
     * The host's name servers, minus loopback ones (a container cannot reach the host's 127.0.0.53); like
     * Docker, fall back to public resolvers only if nothing is left... except Berth does not invent servers:
     * an empty list stays empty and the user sees why names do not resolve.
     */
    static String resolvConf(boolean hostMode) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String t = line.strip();
                if (t.startsWith("nameserver") && !hostMode) {
                    String[] parts = t.split("\\s+");
                    if (parts.length > 1 && (parts[1].startsWith("127.") || parts[1].equals("::1"))) {
                        continue;
                    }
                }
                if (t.startsWith("nameserver") || t.startsWith("search") || t.startsWith("options")) {
                    out.add(t);
                }
            }
        } catch (IOException ignored) {
            // no resolv.conf on the host: the container gets none either
        }
        return String.join("\n", out) + (out.isEmpty() ? "" : "\n");
    }

    /** Rewrites in place so that a bind mount of the file sees the new content. */
    private void rewrite(ContainerNetwork c, Path file, String content) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            ch.write(ByteBuffer.wrap(bytes), 0);
            ch.truncate(bytes.length);
        } catch (IOException e) {
            throw failed(c, e);
        }
    }

    private static EngineException failed(ContainerNetwork c, IOException e) {
        return new EngineException(Reason.INTERNAL, "network_files_failed",
                "Could not write the hosts/resolv.conf files of container " + c.containerId() + ": " + e.getMessage(), e);
    }
}
