package dev.berth.engine.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts container processes under native monitors and reconnects to them. Containers outlive the JVM: a new
 * instance {@link #adopt adopts} what an earlier one started.
 */
public interface ContainerRuntime {

    /**
     * Starts a container process and returns once it has exec'd (or throws a precise error: missing executable,
     * bad user, bad working directory, mount failure...). Output produced right away is in the scrollback.
     *
     * @throws dev.berth.engine.EngineException INVALID_ARGUMENT for errors of the spec (e.g. code
     *         {@code executable_not_found}, {@code bad_user}, {@code bad_workdir}), INTERNAL otherwise
     */
    RunningProcess start(RuntimeSpec spec);

    /**
     * Reconnects to a monitor from its state directory. Empty when the process is no longer running; then
     * {@link #lastExit} tells how it ended.
     */
    Optional<RunningProcess> adopt(Path stateDir);

    /** How the process of this state directory ended, if it has. */
    Optional<ExitStatus> lastExit(Path stateDir);

    /** Starts another process inside a running container. Returns once it has exec'd. */
    RunningProcess exec(RunningProcess container, ExecSpec spec);
}
