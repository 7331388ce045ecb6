package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A {@link RunningProcess} backed by a monitor: a watch connection completes {@link #exit()}. */
final class MonitoredProcess implements RunningProcess {
    private final String id;
    private final Path stateDir;
    private final MonitorState state;
    private final boolean container;
    private final CgroupFiles cgroups;
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile MonitorConnection watch;
    private volatile boolean forgotten;

    private MonitoredProcess(String id, Path stateDir, MonitorState state, boolean container) {
        this.id = id;
        this.stateDir = stateDir;
        this.state = state;
        this.container = container;
        this.cgroups = new CgroupFiles(state);
    }

    /** Connects the watch connection; if the monitor is already gone, completes exit from the exit file. */
    static MonitoredProcess watch(String id, Path stateDir, MonitorState state, boolean container) {
        MonitoredProcess p = new MonitoredProcess(id, stateDir, state, container);
        p.startWatching();
        return p;
    }

    private void startWatching() {
        AttachListener l = new AttachListener() {
            @Override
            public void onOutput(StreamKind stream, byte[] bytes) {
            }

            @Override
            public void onExit(ExitStatus status) {
                exit.complete(status);
            }

            @Override
            public void onClosed(Throwable error) {
                if (!forgotten) completeFromFile();
            }
        };
        try {
            // the watch connection only needs the exit frame: no output is sent to it
            watch = MonitorConnection.open(state.socket(), l, Frames.HELLO_NO_OUTPUT, id);
        } catch (IOException e) {
            completeFromFile();
        }
    }

    private void completeFromFile() {
        if (exit.isDone()) return;
        // the monitor writes the exit file before it closes its socket; give a crashed monitor a clear status
        Optional<ExitStatus> s = ExitFile.read(stateDir);
        for (int i = 0; s.isEmpty() && i < 50 && monitorAlive(); i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            s = ExitFile.read(stateDir);
        }
        if (s.isPresent()) {
            exit.complete(s.get());
        } else {
            exit.completeExceptionally(new EngineException(EngineException.Reason.INTERNAL, "monitor_lost",
                    "the monitor of " + id + " (pid " + state.monitorPid() + ") went away without recording an exit status"));
        }
    }

    private boolean monitorAlive() {
        return ProcessHandle.of(state.monitorPid()).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Path stateDir() {
        return stateDir;
    }

    @Override
    public long pid() {
        return state.pid();
    }

    @Override
    public long monitorPid() {
        return state.monitorPid();
    }

    @Override
    public boolean tty() {
        return state.tty();
    }

    MonitorState state() {
        return state;
    }

    @Override
    public CompletableFuture<ExitStatus> exit() {
        return exit;
    }

    @Override
    public void kill(int signal) {
        MonitorConnection w = watch;
        if (exit.isDone() || w == null || !w.isOpen()) return;
        try {
            w.signal(signal);
        } catch (EngineException e) {
            if (!exit.isDone() && !e.code().equals("not_attached")) throw e;
        }
    }

    @Override
    public void pause() {
        requireContainer("pause");
        requireRunning("pause");
        cgroups.freeze(true);
    }

    @Override
    public void resume() {
        requireContainer("unpause");
        cgroups.freeze(false);
    }

    @Override
    public boolean paused() {
        return container && !exit.isDone() && cgroups.paused();
    }

    @Override
    public Attachment attach(AttachListener listener, boolean withScrollback) {
        return attach(listener, withScrollback, null);
    }

    @Override
    public Attachment attach(AttachListener listener, boolean withScrollback, ReadLoop loop) {
        requireRunning("attach to");
        try {
            // paced: when the listener falls behind, the monitor stops reading the PTY instead of dropping us
            return MonitorConnection.open(state.socket(), listener,
                    Frames.HELLO_PACED | (withScrollback ? Frames.HELLO_SCROLLBACK : 0), id, loop);
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.CONFLICT, "not_running",
                    "cannot attach to " + id + ": its process has ended (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public ResourceStats stats() {
        return cgroups.stats();
    }

    @Override
    public List<ProcessInfo> top() {
        requireRunning("list the processes of");
        return cgroups.top();
    }

    private void requireRunning(String what) {
        if (exit.isDone()) {
            throw new EngineException(EngineException.Reason.CONFLICT, "not_running",
                    "cannot " + what + " " + id + ": it is not running");
        }
    }

    private void requireContainer(String what) {
        if (!container) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "not_a_container",
                    "cannot " + what + " an exec process; " + what + " its container instead");
        }
    }

    /** Drops the watch connection (the process keeps running); for tests that simulate a JVM restart. */
    void forget() {
        forgotten = true;
        MonitorConnection w = watch;
        if (w != null) w.close();
        exit.completeExceptionally(new IllegalStateException("this handle of " + id + " was dropped; adopt the process again"));
    }
}
