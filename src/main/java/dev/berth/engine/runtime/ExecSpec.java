package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A process to start inside a running container (Docker's exec). It joins the container's pid, mount, uts, ipc
 * and net namespaces and its cgroup, with the same security setup as the container's init.
 *
 * @param stateDir    a directory for this exec's monitor state (socket, exit file); must not be the container's
 * @param args        argv
 * @param env         {@code KEY=value}, added to nothing (pass the container's env if you want it)
 * @param cwd         working directory inside the container
 * @param user        like {@link RuntimeSpec#user()}
 * @param tty         allocate a PTY
 * @param openStdin   keep stdin open
 * @param initialSize initial PTY size; clients may also resize before the process starts
 * @param log         optional log of the exec's output (null: none)
 */
public record ExecSpec(Path stateDir, List<String> args, List<String> env, String cwd, String user, boolean tty,
                       boolean openStdin, TerminalSize initialSize, LogConfig log) {
    public ExecSpec {
        Objects.requireNonNull(stateDir, "stateDir");
        args = List.copyOf(args);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        env = env == null ? List.of() : List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        user = user == null ? "" : user;
        initialSize = initialSize == null ? TerminalSize.DEFAULT : initialSize;
    }
}
