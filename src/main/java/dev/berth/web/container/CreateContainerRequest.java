package dev.berth.web.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.PortBinding;
import dev.berth.engine.container.ResourceLimits;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.SpecValidator;
import dev.berth.engine.network.PortSpecs;

/**
 * The body of {@code POST /api/containers}: Berth's flat form of Docker's create request. {@code binds}
 * take Docker's {@code host:container[:ro]} form; {@code volumes} {@code name:/path[:ro]} (or just
 * {@code /path} for an anonymous volume); {@code restartPolicy} is {@code no}, {@code always},
 * {@code unless-stopped} or {@code on-failure[:N]}. Published ports: {@code portBindings} objects, or
 * {@code publish} in Docker's {@code -p} form ({@code 8080:80}, {@code 127.0.0.1:0:80}, {@code 127.0.0.1::53/udp}).
 */
public record CreateContainerRequest(
        String image,
        String name,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        Boolean tty,
        Boolean openStdin,
        Map<String, String> labels,
        Long memory,
        Long nanoCpus,
        Long pidsLimit,
        String restartPolicy,
        List<MountSpec> mounts,
        List<String> binds,
        List<String> volumes,
        String networkMode,
        List<PortBinding> portBindings,
        List<String> publish,
        Boolean autoRemove,
        String stopSignal,
        Integer stopTimeout,
        Boolean privileged,
        List<String> capAdd,
        List<String> devices,
        String pidMode,
        String ipcMode,
        List<String> securityOpt) {

    /**
     * The host-reaching options this request uses, by their field names: bind mounts, the host network, and the
     * options the engine does not offer yet (privileged, capAdd, devices, pidMode/ipcMode host, securityOpt). Only
     * administrators may ask for them.
     */
    List<String> hostOptions() {
        List<String> used = new ArrayList<>();
        if (binds != null && !binds.isEmpty()) {
            used.add("binds");
        }
        if (mounts != null && mounts.stream().anyMatch(MountSpec::isBind)) {
            used.add("mounts");
        }
        if ("host".equals(networkMode)) {
            used.add("networkMode");
        }
        used.addAll(unsupportedOptions());
        return used;
    }

    /** Options accepted on the wire (Docker has them) that this engine does not implement. */
    List<String> unsupportedOptions() {
        List<String> used = new ArrayList<>();
        if (Boolean.TRUE.equals(privileged)) {
            used.add("privileged");
        }
        if (capAdd != null && !capAdd.isEmpty()) {
            used.add("capAdd");
        }
        if (devices != null && !devices.isEmpty()) {
            used.add("devices");
        }
        if (pidMode != null && !pidMode.isBlank()) {
            used.add("pidMode");
        }
        if (ipcMode != null && !ipcMode.isBlank()) {
            used.add("ipcMode");
        }
        if (securityOpt != null && !securityOpt.isEmpty()) {
            used.add("securityOpt");
        }
        return used;
    }

    ContainerSpec toSpec(String nameParameter) {
        List<MountSpec> all = new ArrayList<>(mounts == null ? List.of() : mounts);
        for (String b : binds == null ? List.<String>of() : binds) {
            String[] parts = b.split(":");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw"))) {
                throw new SpecValidator.InvalidField("binds", "The bind '" + b + "' is not of the form /host/path:/container/path[:ro].");
            }
            all.add(MountSpec.bind(parts[0], parts[1], parts.length == 3 && parts[2].equals("ro")));
        }
        for (String v : volumes == null ? List.<String>of() : volumes) {
            String[] parts = v.split(":");
            if (parts.length == 1) {
                all.add(new MountSpec(MountSpec.VOLUME, null, parts[0], false));
            } else if (parts.length == 2 || (parts.length == 3 && (parts[2].equals("ro") || parts[2].equals("rw")))) {
                all.add(new MountSpec(MountSpec.VOLUME, parts[0], parts[1], parts.length == 3 && parts[2].equals("ro")));
            } else {
                throw new SpecValidator.InvalidField("volumes", "The volume '" + v + "' is not of the form name:/container/path[:ro] or /container/path.");
            }
        }
        RestartPolicy policy;
        try {
            policy = RestartPolicy.parse(restartPolicy);
        } catch (RuntimeException e) {
            throw new SpecValidator.InvalidField("restartPolicy", e.getMessage());
        }
        List<PortBinding> ports = new ArrayList<>(portBindings == null ? List.of() : portBindings);
        for (String p : publish == null ? List.<String>of() : publish) {
            try {
                for (dev.berth.engine.network.PortBinding b : PortSpecs.parse(p, "")) {
                    ports.add(new PortBinding(b.containerPort(), b.protocol().lower(), b.hostIp(), b.hostPort()));
                }
            } catch (EngineException e) {
                throw new SpecValidator.InvalidField("publish", e.getMessage());
            }
        }
        String effectiveName = name != null && !name.isEmpty() ? name : nameParameter;
        return new ContainerSpec(image, effectiveName, cmd, entrypoint, env, workingDir, user, hostname, Boolean.TRUE.equals(tty),
                Boolean.TRUE.equals(openStdin), labels,
                new ResourceLimits(memory == null ? 0 : memory, nanoCpus == null ? 0 : nanoCpus, pidsLimit == null ? 0 : pidsLimit),
                policy, all, networkMode, ports, Boolean.TRUE.equals(autoRemove), stopSignal, stopTimeout);
    }
}
