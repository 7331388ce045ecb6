package dev.berth.web.container;

import java.nio.file.Path;
import java.util.Optional;

import dev.berth.engine.EngineException;
import dev.berth.engine.runtime.ContainerRuntime;
import dev.berth.engine.runtime.ExecSpec;
import dev.berth.engine.runtime.ExitStatus;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;

/**
 * Stands in for the native runtime when its monitor could not be installed, so the rest of Berth still starts;
 * every container operation then fails with the installation error, which says what to fix.
 */
final class UnavailableRuntime implements ContainerRuntime {
    private final EngineException cause;

    UnavailableRuntime(EngineException cause) {
        this.cause = cause;
    }

    private EngineException error() {
        return new EngineException(EngineException.Reason.INTERNAL, cause.code(), "Containers cannot run on this server: "
                + cause.getMessage(), cause);
    }

    @Override
    public RunningProcess start(RuntimeSpec spec) {
        throw error();
    }

    @Override
    public Optional<RunningProcess> adopt(Path stateDir) {
        throw error();
    }

    @Override
    public Optional<ExitStatus> lastExit(Path stateDir) {
        return Optional.empty();
    }

    @Override
    public RunningProcess exec(RunningProcess container, ExecSpec spec) {
        throw error();
    }
}
