package dev.berth.engine.runtime;

/** Well-known names of the files a monitor keeps in its state directory (see engine-native/PROTOCOL.md). */
public final class Monitors {
    /** The spec the Java side wrote for the monitor (NUL-separated key/value pairs). */
    public static final String SPEC_FILE = "spec";
    /** Written by the monitor once the process runs: monitor pid, process pid, cgroup paths. */
    public static final String STATE_FILE = "state";
    /** Written by the monitor when the process has ended: code, signal, oom, finished. */
    public static final String EXIT_FILE = "exit";
    /** The monitor's unix socket for attach clients. */
    public static final String SOCKET_FILE = "attach.sock";

    private Monitors() {
    }
}
