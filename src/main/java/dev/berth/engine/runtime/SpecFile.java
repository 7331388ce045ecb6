package dev.berth.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes the monitor's spec file: NUL-terminated key, value, key, value... (engine-native/PROTOCOL.md). */
final class SpecFile {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    SpecFile put(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key + " must not contain NUL characters");
        }
        write(key);
        write(value);
        return this;
    }

    SpecFile put(String key, long value) {
        return put(key, Long.toString(value));
    }

    SpecFile put(String key, boolean value) {
        return put(key, value ? "1" : "0");
    }

    SpecFile putAll(String key, List<String> values) {
        values.forEach(v -> put(key, v));
        return this;
    }

    private void write(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }

    void writeTo(Path stateDir) throws IOException {
        Path tmp = stateDir.resolve(".spec.tmp");
        Files.write(tmp, out.toByteArray());
        Files.move(tmp, stateDir.resolve(Monitors.SPEC_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    static SpecFile forContainer(RuntimeSpec s) {
        SpecFile f = new SpecFile().put("version", "1").put("id", s.id());
        s.lowerDirs().forEach(p -> f.put("lower", p.toAbsolutePath().toString()));
        f.put("upper", s.upperDir().toAbsolutePath().toString()).put("work", s.workDir().toAbsolutePath().toString())
                .put("hostname", s.hostname());
        common(f, s.args(), s.env(), s.cwd(), s.user(), s.tty(), s.openStdin(), s.initialSize(), s.log());
        f.put("sync", s.beforeExec() != null);
        if (s.limits().memoryBytes() > 0) f.put("memory", s.limits().memoryBytes());
        if (s.limits().nanoCpus() > 0) f.put("nanocpus", s.limits().nanoCpus());
        if (s.limits().pidsLimit() > 0) f.put("pids", s.limits().pidsLimit());
        for (Mount m : s.mounts()) {
            f.put("mount", (m.readOnly() ? "ro:" : "rw:") + m.target() + ":" + m.source().toAbsolutePath());
        }
        f.put("net", net(s.network()));
        if (s.network() instanceof NetworkMode.New n) {
            f.putAll("veth", n.veths());
        }
        for (Ulimit u : s.ulimits()) {
            f.put("rlimit", u.name() + ":" + u.soft() + ":" + u.hard());
        }
        return f;
    }

    static SpecFile forExec(String id, MonitorState container, ExecSpec s) {
        SpecFile f = new SpecFile().put("version", "1").put("id", id);
        common(f, s.args(), s.env(), s.cwd(), s.user(), s.tty(), s.openStdin(), s.initialSize(), s.log());
        f.put("target.pid", container.pid());
        container.cgroups().forEach(c -> f.put("target.cgroup", c.toString()));
        return f;
    }

    private static void common(SpecFile f, List<String> args, List<String> env, String cwd, String user, boolean tty,
                               boolean stdin, TerminalSize size, LogConfig log) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command: give args (entrypoint + cmd)");
        }
        f.putAll("arg", args).putAll("env", env).put("cwd", cwd).put("user", user).put("tty", tty).put("stdin", stdin)
                .put("cols", size.cols()).put("rows", size.rows());
        if (log != null) {
            f.put("log", log.path().toAbsolutePath().toString()).put("log.max", log.maxBytes()).put("log.files", log.maxFiles());
        }
    }

    private static String net(NetworkMode n) {
        if (n instanceof NetworkMode.New) return "new";
        if (n instanceof NetworkMode.Host) return "host";
        if (n instanceof NetworkMode.Join j) return "join:" + j.path().toAbsolutePath();
        return "none";
    }
}
