package dev.berth.web.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.berth.engine.container.ContainerSpec;
import dev.berth.engine.container.MountSpec;
import dev.berth.engine.container.PortBinding;
import dev.berth.engine.container.ResourceLimits;
import dev.berth.engine.container.RestartPolicy;
import dev.berth.engine.container.SpecValidator;

/**
 * The body of {@code POST /api/containers}: Berth's flat form of Docker's create request. {@code binds}
 * take Docker's {@code host:container[:ro]} form; {@code volumes} {@code name:/path[:ro]} (or just
 * {@code /path} for an anonymous volume); {@code restartPolicy} is {@code no}, {@code always},
 * {@code unless-stopped} or {@code on-failure[:N]}.
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
        Boolean autoRemove,
        String stopSignal,
        Integer stopTimeout) {

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
        String effectiveName = name != null && !name.isEmpty() ? name : nameParameter;
        return new ContainerSpec(image, effectiveName, cmd, entrypoint, env, workingDir, user, hostname, Boolean.TRUE.equals(tty),
                Boolean.TRUE.equals(openStdin), labels,
                new ResourceLimits(memory == null ? 0 : memory, nanoCpus == null ? 0 : nanoCpus, pidsLimit == null ? 0 : pidsLimit),
                policy, all, networkMode, portBindings, Boolean.TRUE.equals(autoRemove), stopSignal, stopTimeout);
    }
}
