package dev.berth.engine.runtime;

/**
 * One process of a container, like a row of {@code docker top}.
 *
 * @param pid       host pid
 * @param ppid      host parent pid
 * @param uid       real uid
 * @param state     one-letter state from /proc/pid/stat
 * @param cpuNanos  user + system CPU time
 * @param rssBytes  resident memory
 * @param command   the command line (argv joined with spaces), or [comm] for kernel-style names
 */
public record ProcessInfo(long pid, long ppid, int uid, String state, long cpuNanos, long rssBytes, String command) {
}
