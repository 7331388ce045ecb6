package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the native monitor needs to start one container process.
 *
 * @param id          container id (used for the cgroup name {@code berth/<id>}); [A-Za-z0-9_.-], 1..64 chars
 * @param stateDir    the container's state directory; the monitor writes {@code state}, {@code exit},
 *                    {@code attach.sock} and {@code spec} there (see engine-native/PROTOCOL.md). The socket path
 *                    must fit in 107 bytes.
 * @param lowerDirs   the image's unpacked layer directories, <b>top-most (newest) layer first</b>, exactly the
 *                    order of overlayfs {@code lowerdir=}
 * @param upperDir    the container's writable layer
 * @param workDir     overlayfs work dir, on the same filesystem as {@code upperDir}
 * @param hostname    UTS hostname (also used when the network is NEW or NONE)
 * @param args        argv; {@code args[0]} is looked up in the container's {@code PATH} when it has no slash
 * @param env         {@code KEY=value} entries; {@code PATH} defaults to Docker's default when absent
 * @param cwd         working directory inside the container (absolute; created if missing, like Docker)
 * @param user        {@code uid[:gid]} or {@code name[:group]} resolved against the rootfs' /etc/passwd and
 *                    /etc/group; empty means root
 * @param tty         allocate a PTY (owned by the monitor) instead of stdout/stderr pipes
 * @param openStdin   keep stdin open for attached clients (otherwise the process reads /dev/null)
 * @param limits      cgroup limits
 * @param mounts      bind mounts and volumes, applied in order after the standard mounts
 * @param network     which network namespace the process gets
 * @param log         where and how much output to keep on disk
 * @param ulimits     rlimits to set; each value is clamped to the host's hard limit
 * @param initialSize initial PTY size (ignored without tty)
 * @param beforeExec  optional hook run after the namespaces and rootfs exist and before the user process
 *                    execs; the monitor waits for it (see {@link BeforeExec})
 */
public record RuntimeSpec(
        String id,
        Path stateDir,
        List<Path> lowerDirs,
        Path upperDir,
        Path workDir,
        String hostname,
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        boolean tty,
        boolean openStdin,
        Limits limits,
        List<Mount> mounts,
        NetworkMode network,
        LogConfig log,
        List<Ulimit> ulimits,
        TerminalSize initialSize,
        BeforeExec beforeExec) {

    public RuntimeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stateDir, "stateDir");
        lowerDirs = List.copyOf(lowerDirs);
        Objects.requireNonNull(upperDir, "upperDir");
        Objects.requireNonNull(workDir, "workDir");
        hostname = hostname == null || hostname.isEmpty() ? id.substring(0, Math.min(12, id.length())) : hostname;
        args = List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        user = user == null ? "" : user;
        limits = limits == null ? Limits.NONE : limits;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        network = network == null ? NetworkMode.none() : network;
        log = log == null ? LogConfig.in(stateDir) : log;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        initialSize = initialSize == null ? TerminalSize.DEFAULT : initialSize;
    }

    public Optional<BeforeExec> beforeExecHook() {
        return Optional.ofNullable(beforeExec);
    }

    /** A builder with Docker-like defaults; only id, stateDir, layers, upper/work dirs and args are required. */
    public static Builder builder(String id, Path stateDir) {
        return new Builder(id, stateDir);
    }

    /** Mutable builder for {@link RuntimeSpec}. */
    public static final class Builder {
        private final String id;
        private final Path stateDir;
        private List<Path> lowerDirs = List.of();
        private Path upperDir;
        private Path workDir;
        private String hostname;
        private List<String> args = List.of();
        private List<String> env = List.of();
        private String cwd = "/";
        private String user = "";
        private boolean tty;
        private boolean openStdin;
        private Limits limits = Limits.NONE;
        private List<Mount> mounts = List.of();
        private NetworkMode network = NetworkMode.none();
        private LogConfig log;
        private List<Ulimit> ulimits = List.of();
        private TerminalSize initialSize = TerminalSize.DEFAULT;
        private BeforeExec beforeExec;

        private Builder(String id, Path stateDir) {
            this.id = id;
            this.stateDir = stateDir;
        }

        /** @param lowerDirs top-most layer first */
        public Builder rootfs(List<Path> lowerDirs, Path upperDir, Path workDir) {
            this.lowerDirs = lowerDirs;
            this.upperDir = upperDir;
            this.workDir = workDir;
            return this;
        }

        public Builder hostname(String v) { this.hostname = v; return this; }
        public Builder args(List<String> v) { this.args = v; return this; }
        public Builder args(String... v) { this.args = List.of(v); return this; }
        public Builder env(List<String> v) { this.env = v; return this; }
        public Builder cwd(String v) { this.cwd = v; return this; }
        public Builder user(String v) { this.user = v; return this; }
        public Builder tty(boolean v) { this.tty = v; return this; }
        public Builder openStdin(boolean v) { this.openStdin = v; return this; }
        public Builder limits(Limits v) { this.limits = v; return this; }
        public Builder mounts(List<Mount> v) { this.mounts = v; return this; }
        public Builder network(NetworkMode v) { this.network = v; return this; }
        public Builder log(LogConfig v) { this.log = v; return this; }
        public Builder ulimits(List<Ulimit> v) { this.ulimits = v; return this; }
        public Builder initialSize(TerminalSize v) { this.initialSize = v; return this; }
        public Builder beforeExec(BeforeExec v) { this.beforeExec = v; return this; }

        public RuntimeSpec build() {
            return new RuntimeSpec(id, stateDir, lowerDirs, upperDir, workDir, hostname, args, env, cwd, user,
                    tty, openStdin, limits, mounts, network, log, ulimits, initialSize, beforeExec);
        }
    }
}
