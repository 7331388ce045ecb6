package dev.berth.engine.container;

import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when creating a container, modelled on Docker's create request. Null lists mean
 * "use the image's value"; an empty entrypoint clears the image's entrypoint as in Docker.
 */
public record ContainerSpec(
        String image,
        String name,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        boolean tty,
        boolean openStdin,
        Map<String, String> labels,
        ResourceLimits limits,
        RestartPolicy restartPolicy,
        List<MountSpec> mounts,
        String networkMode,
        List<PortBinding> portBindings,
        boolean autoRemove,
        String stopSignal,
        Integer stopTimeout) {

    public ContainerSpec {
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        limits = limits == null ? ResourceLimits.NONE : limits;
        restartPolicy = restartPolicy == null ? RestartPolicy.NO : restartPolicy;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        portBindings = portBindings == null ? List.of() : List.copyOf(portBindings);
        networkMode = networkMode == null || networkMode.isBlank() ? "default" : networkMode;
    }

    /** A minimal spec: an image and optionally a command. */
    public static ContainerSpec of(String image, String... cmd) {
        return builder(image).cmd(cmd.length == 0 ? null : List.of(cmd)).build();
    }

    public static Builder builder(String image) {
        return new Builder(image);
    }

    public boolean hasBindMounts() {
        return mounts.stream().anyMatch(MountSpec::isBind);
    }

    /** Fluent construction for code and tests. */
    public static final class Builder {
        private final String image;
        private String name;
        private List<String> cmd;
        private List<String> entrypoint;
        private List<String> env;
        private String workingDir;
        private String user;
        private String hostname;
        private boolean tty;
        private boolean openStdin;
        private Map<String, String> labels;
        private ResourceLimits limits;
        private RestartPolicy restartPolicy;
        private List<MountSpec> mounts;
        private String networkMode;
        private List<PortBinding> portBindings;
        private boolean autoRemove;
        private String stopSignal;
        private Integer stopTimeout;

        private Builder(String image) {
            this.image = image;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder cmd(List<String> v) { cmd = v; return this; }
        public Builder cmd(String... v) { cmd = List.of(v); return this; }
        public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder workingDir(String v) { workingDir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder hostname(String v) { hostname = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder labels(Map<String, String> v) { labels = v; return this; }
        public Builder limits(ResourceLimits v) { limits = v; return this; }
        public Builder restartPolicy(RestartPolicy v) { restartPolicy = v; return this; }
        public Builder mounts(List<MountSpec> v) { mounts = v; return this; }
        public Builder networkMode(String v) { networkMode = v; return this; }
        public Builder portBindings(List<PortBinding> v) { portBindings = v; return this; }
        public Builder autoRemove(boolean v) { autoRemove = v; return this; }
        public Builder stopSignal(String v) { stopSignal = v; return this; }
        public Builder stopTimeout(Integer v) { stopTimeout = v; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(image, name, cmd, entrypoint, env, workingDir, user, hostname, tty, openStdin,
                    labels, limits, restartPolicy, mounts, networkMode, portBindings, autoRemove, stopSignal, stopTimeout);
        }
    }
}
