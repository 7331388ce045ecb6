package dev.berth.engine.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import dev.berth.engine.EngineException;

/** Checks a {@link ContainerSpec} before anything is created; every error names the offending field. */
public final class SpecValidator {
    public static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final Pattern ENV_KEY = Pattern.compile("^[^=\\x00]+$");

    private SpecValidator() {
    }

    /** Thrown for a bad field; {@link #field()} names it for the REST error's {@code field}. */
    public static final class InvalidField extends EngineException {
        private final String field;

        public InvalidField(String field, String message) {
            super(Reason.INVALID_ARGUMENT, "invalid_" + field.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(), message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public static void validate(ContainerSpec spec) {
        if (spec.image() == null || spec.image().isBlank()) {
            throw new InvalidField("image", "'image' is required: name the image to run, e.g. busybox:latest.");
        }
        if (spec.name() != null && !spec.name().isEmpty()) {
            validateName(spec.name());
        }
        validateLimits(spec.limits());
        try {
            spec.restartPolicy().validate();
        } catch (EngineException e) {
            throw new InvalidField("restartPolicy", e.getMessage());
        }
        if (spec.autoRemove() && !"no".equals(spec.restartPolicy().name())) {
            throw new InvalidField("autoRemove", "autoRemove cannot be combined with the restart policy '"
                    + spec.restartPolicy().text() + "'; choose one.");
        }
        for (String e : spec.env()) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
            if (key.isEmpty() || !ENV_KEY.matcher(key).matches()) {
                throw new InvalidField("env", "The environment entry '" + e + "' has no variable name; write NAME=value.");
            }
        }
        if (spec.workingDir() != null && !spec.workingDir().isEmpty() && !spec.workingDir().startsWith("/")) {
            throw new InvalidField("workingDir", "The working directory '" + spec.workingDir() + "' must be an absolute path.");
        }
        if (spec.stopTimeout() != null && spec.stopTimeout() < -1) {
            throw new InvalidField("stopTimeout", "stopTimeout must be -1 (wait forever), 0 or more seconds.");
        }
        if (spec.stopSignal() != null && !spec.stopSignal().isEmpty()) {
            try {
                Signals.parse(spec.stopSignal());
            } catch (EngineException e) {
                throw new InvalidField("stopSignal", e.getMessage());
            }
        }
        Set<String> targets = new HashSet<>();
        for (MountSpec m : spec.mounts()) {
            validateMount(m);
            if (!targets.add(normalise(m.target()))) {
                throw new InvalidField("mounts", "Two mounts target '" + m.target() + "'; each path can have one mount.");
            }
        }
        for (PortBinding p : spec.portBindings()) {
            if (p.containerPort() < 1 || p.containerPort() > 65535) {
                throw new InvalidField("portBindings", "Container port " + p.containerPort() + " is out of range 1-65535.");
            }
            if (p.hostPort() < 0 || p.hostPort() > 65535) {
                throw new InvalidField("portBindings", "Host port " + p.hostPort() + " is out of range 0-65535 (0 picks a free port).");
            }
            if (!p.protocol().equals("tcp") && !p.protocol().equals("udp") && !p.protocol().equals("sctp")) {
                throw new InvalidField("portBindings", "Protocol '" + p.protocol() + "' is not tcp, udp or sctp.");
            }
        }
    }

    public static void validateName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidField("name", "The container name '" + name + "' is invalid: use at least two characters from "
                    + "[a-zA-Z0-9_.-], starting with a letter or digit.");
        }
    }

    static void validateLimits(ResourceLimits limits) {
        if (limits.memory() < 0) {
            throw new InvalidField("memory", "The memory limit cannot be negative (" + limits.memory() + "); use 0 for none.");
        }
        if (limits.memory() > 0 && limits.memory() < ResourceLimits.MINIMUM_MEMORY) {
            throw new InvalidField("memory", "The memory limit " + limits.memory() + " bytes is below the minimum of 6 MiB ("
                    + ResourceLimits.MINIMUM_MEMORY + " bytes).");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (limits.nanoCpus() < 0 || limits.nanoCpus() > cpus * 1_000_000_000L) {
            throw new InvalidField("nanoCpus", "nanoCpus " + limits.nanoCpus() + " is out of range: use 0 (no limit) up to "
                    + cpus + " CPUs (" + cpus * 1_000_000_000L + ").");
        }
        if (limits.nanoCpus() > 0 && limits.nanoCpus() < 10_000_000L) {
            throw new InvalidField("nanoCpus", "nanoCpus " + limits.nanoCpus() + " is below the minimum of 0.01 CPU (10000000).");
        }
        if (limits.pidsLimit() > 0 && limits.pidsLimit() < 2) {
            throw new InvalidField("pidsLimit", "A pids limit of " + limits.pidsLimit() + " leaves no room to run anything; use 2 or more, or 0 for none.");
        }
    }

    static void validateMount(MountSpec m) {
        if (m.target() == null || !m.target().startsWith("/")) {
            throw new InvalidField("mounts", "A mount target must be an absolute path inside the container, not '" + m.target() + "'.");
        }
        if ("/".equals(normalise(m.target()))) {
            throw new InvalidField("mounts", "A mount cannot replace the container's root directory '/'.");
        }
        if (MountSpec.BIND.equals(m.type())) {
            if (m.source() == null || !m.source().startsWith("/")) {
                throw new InvalidField("mounts", "A bind mount source must be an absolute host path, not '" + m.source() + "'.");
            }
            if (!Files.exists(Path.of(m.source()))) {
                throw new InvalidField("mounts", "The bind mount source '" + m.source() + "' does not exist on the host; create it first.");
            }
        } else if (MountSpec.VOLUME.equals(m.type())) {
            if (!m.isAnonymousVolume() && !VOLUME_NAME.matcher(m.source()).matches()) {
                throw new InvalidField("mounts", "The volume name '" + m.source() + "' is invalid: use [a-zA-Z0-9][a-zA-Z0-9_.-]+.");
            }
        } else {
            throw new InvalidField("mounts", "Unknown mount type '" + m.type() + "'; use volume or bind.");
        }
    }

    public static final Pattern VOLUME_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");

    static String normalise(String path) {
        String p = Path.of(path).normalize().toString();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
