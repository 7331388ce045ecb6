package dev.berth.engine.container;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A container as Docker's inspect shows it, with Docker's field names (serialised as is). */
public record ContainerInspect(
        String Id,
        String Name,
        Instant Created,
        String Path,
        List<String> Args,
        State State,
        String Image,
        String ImageRef,
        int RestartCount,
        Config Config,
        HostConfig HostConfig,
        List<Mount> Mounts) {

    public record State(String Status, boolean Running, boolean Paused, boolean Restarting, boolean OOMKilled,
            boolean Dead, long Pid, int ExitCode, String Error, Instant StartedAt, Instant FinishedAt) {
    }

    public record Config(String Hostname, String User, boolean Tty, boolean OpenStdin, List<String> Env, List<String> Cmd,
            List<String> Entrypoint, String Image, String WorkingDir, Map<String, String> Labels, String StopSignal,
            Integer StopTimeout) {
    }

    public record HostConfig(long Memory, long NanoCpus, long PidsLimit, RestartPolicy RestartPolicy, boolean AutoRemove,
            String NetworkMode, List<PortBinding> PortBindings, List<String> Binds) {
        public record RestartPolicy(String Name, int MaximumRetryCount) {
        }
    }

    public record Mount(String Type, String Name, String Source, String Destination, String Driver, boolean RW) {
    }
}
