package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.Optional;

/** {@link ContainerRuntime} backed by one {@code berth-monitor} process per container and per exec. */
public final class NativeRuntime implements ContainerRuntime {
    private final MonitorBinary binary;

    public NativeRuntime(MonitorBinary binary) {
        this.binary = binary;
    }

    @Override
    public RunningProcess start(RuntimeSpec spec) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    @Override
    public Optional<RunningProcess> adopt(Path stateDir) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    @Override
    public Optional<ExitStatus> lastExit(Path stateDir) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    @Override
    public RunningProcess exec(RunningProcess container, ExecSpec spec) {
        throw new UnsupportedOperationException("work in progress (branch native)");
    }

    MonitorBinary binary() {
        return binary;
    }
}
