package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link ContainerRuntime} backed by one {@code berth-monitor} process per container and per exec. Each start
 * writes the spec into the state dir, runs the monitor and follows its handshake (engine-native/PROTOCOL.md).
 */
public final class NativeRuntime implements ContainerRuntime {
    private static final Set<String> CALLER_ERRORS = Set.of("spec_invalid", "executable_not_found",
            "permission_denied", "bad_user", "bad_workdir");

    private final MonitorBinary binary;

    public NativeRuntime(MonitorBinary binary) {
        this.binary = binary;
    }

    @Override
    public RunningProcess start(RuntimeSpec spec) {
        prepareStateDir(spec.stateDir());
        try {
            SpecFile.forContainer(spec).writeTo(spec.stateDir());
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "spec_invalid",
                    "cannot write the container spec into " + spec.stateDir() + ": " + e.getMessage(), e);
        }
        launch("run", spec.id(), spec.stateDir(), spec.beforeExec());
        return adoptOrFail(spec.id(), spec.stateDir(), true);
    }

    @Override
    public RunningProcess exec(RunningProcess container, ExecSpec spec) {
        if (!(container instanceof MonitoredProcess mp)) {
            throw new IllegalArgumentException("exec needs a process started or adopted by this runtime");
        }
        if (container.exit().isDone()) {
            throw new EngineException(Reason.CONFLICT, "not_running",
                    "cannot exec in " + container.id() + ": it is not running; start it first");
        }
        if (spec.stateDir().equals(container.stateDir())) {
            throw new IllegalArgumentException("an exec needs its own state dir, not the container's");
        }
        prepareStateDir(spec.stateDir());
        try {
            SpecFile.forExec(container.id(), mp.state(), spec).writeTo(spec.stateDir());
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException(Reason.INVALID_ARGUMENT, "spec_invalid",
                    "cannot write the exec spec into " + spec.stateDir() + ": " + e.getMessage(), e);
        }
        launch("exec", container.id(), spec.stateDir(), null);
        return adoptOrFail(container.id(), spec.stateDir(), false);
    }

    @Override
    public Optional<RunningProcess> adopt(Path stateDir) {
        Optional<MonitorState> state = MonitorState.read(stateDir);
        if (state.isEmpty() || ExitFile.read(stateDir).isPresent() || !Files.exists(state.get().socket())) {
            return Optional.empty();
        }
        MonitoredProcess p = MonitoredProcess.watch(idOf(stateDir), stateDir, state.get(), isContainer(stateDir));
        if (p.exit().isDone()) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    @Override
    public Optional<ExitStatus> lastExit(Path stateDir) {
        return ExitFile.read(stateDir);
    }

    private RunningProcess adoptOrFail(String id, Path stateDir, boolean container) {
        MonitorState state = MonitorState.read(stateDir).orElseThrow(() -> new EngineException(Reason.INTERNAL,
                "monitor_failed", "the monitor for " + id + " reported success but wrote no state into " + stateDir));
        return MonitoredProcess.watch(id, stateDir, state, container);
    }

    private static String idOf(Path stateDir) {
        String spec = CgroupFiles.read(stateDir.resolve(Monitors.SPEC_FILE));
        String[] parts = spec.split("\0");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (parts[i].equals("id")) return parts[i + 1];
        }
        return stateDir.getFileName().toString();
    }

    private static boolean isContainer(Path stateDir) {
        return !CgroupFiles.read(stateDir.resolve(Monitors.SPEC_FILE)).contains("target.pid\0");
    }

    private static void prepareStateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(Monitors.EXIT_FILE));
            Files.deleteIfExists(dir.resolve(Monitors.STATE_FILE));
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "state_dir_failed",
                    "cannot prepare the state dir " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Runs the monitor and follows the handshake until "ok" (returns) or "error" (throws). */
    private void launch(String mode, String id, Path stateDir, BeforeExec hook) {
        Process p;
        try {
            p = new ProcessBuilder(binary.path().toString(), mode, stateDir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "monitor_failed",
                    "cannot run the container monitor " + binary.path() + ": " + e.getMessage(), e);
        }
        Throwable hookFailure = null;
        boolean started = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             OutputStream in = p.getOutputStream()) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("pid ")) {
                    // "pid <pid>" or, with veth entries in the spec, "pid <pid> veth ok|error <message>"
                    String rest = line.substring(4).trim();
                    int sp = rest.indexOf(' ');
                    String monitorNetwork = sp >= 0 && rest.startsWith(" veth ", sp) ? rest.substring(sp + 6) : null;
                    hookFailure = runHook(hook, Long.parseLong(sp < 0 ? rest : rest.substring(0, sp)), monitorNetwork);
                    String answer = hookFailure == null ? "go\n" : "abort " + oneLine(hookFailure) + "\n";
                    in.write(answer.getBytes(StandardCharsets.UTF_8));
                    in.flush();
                } else if (line.startsWith("ok ")) {
                    started = true; // the monitor lives on (it is the process we started): never wait for it
                    return;
                } else if (line.startsWith("error ")) {
                    throw failure(id, line.substring(6), hookFailure);
                }
            }
            throw new EngineException(Reason.INTERNAL, "monitor_failed",
                    "the container monitor for " + id + " exited without an answer (exit code " + waitFor(p) + ")");
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "monitor_failed",
                    "lost the container monitor for " + id + " during start: " + e.getMessage(), e);
        } finally {
            if (!started) waitFor(p);
        }
    }

    private static Throwable runHook(BeforeExec hook, long pid, String monitorNetwork) {
        if (hook == null) return null;
        try {
            hook.run(pid, monitorNetwork);
            return null;
        } catch (Exception | Error e) {
            return e;
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }

    private static EngineException failure(String id, String rest, Throwable hookFailure) {
        int sp = rest.indexOf(' ');
        String code = sp < 0 ? rest : rest.substring(0, sp);
        String message = sp < 0 ? "" : rest.substring(sp + 1);
        if (hookFailure != null) {
            return new EngineException(Reason.INTERNAL, "before_exec_failed",
                    "cannot start " + id + ": preparing it failed: " + oneLine(hookFailure), hookFailure);
        }
        Reason reason = CALLER_ERRORS.contains(code) ? Reason.INVALID_ARGUMENT : Reason.INTERNAL;
        return new EngineException(reason, code, "cannot start " + id + ": " + message);
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    MonitorBinary binary() {
        return binary;
    }
}
