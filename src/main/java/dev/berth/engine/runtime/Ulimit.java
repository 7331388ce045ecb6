package dev.berth.engine.runtime;

import java.util.Set;

/**
 * An rlimit for the container process. The monitor clamps {@code soft} and {@code hard} to the host's hard limit
 * (this machine cannot raise RLIMIT_NOFILE, for example).
 *
 * @param name Docker's ulimit name: nofile, nproc, core, memlock, stack, cpu, fsize, as, locks, sigpending,
 *             msgqueue, nice, rtprio, data, rss
 */
public record Ulimit(String name, long soft, long hard) {
    public static final Set<String> NAMES = Set.of("nofile", "nproc", "core", "memlock", "stack", "cpu", "fsize",
            "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "data", "rss");

    public Ulimit {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown ulimit '" + name + "'; use one of " + NAMES);
        }
        if (soft < 0 || hard < 0 || soft > hard) {
            throw new IllegalArgumentException("ulimit " + name + ": need 0 <= soft <= hard, got " + soft + ":" + hard);
        }
    }
}
