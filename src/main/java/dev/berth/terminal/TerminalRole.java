package dev.berth.terminal;

/** What a person may do on a terminal. */
public enum TerminalRole {
    /** Drives, and decides: keyboard mode, who else drives, resize policy, recording. */
    OWNER,
    /** May type (in single-driver mode only while holding control). */
    DRIVER,
    /** Watches; input is rejected by the server. */
    VIEWER;

    public boolean mayType() {
        return this != VIEWER;
    }

    /** The role that allows more: OWNER over DRIVER over VIEWER; {@code a} may be null. */
    public static TerminalRole strongest(TerminalRole a, TerminalRole b) {
        if (a == null) return b;
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static TerminalRole fromWire(String s) {
        for (TerminalRole r : values()) if (r.wire().equals(s)) return r;
        throw new IllegalArgumentException("unknown role '" + s + "': use owner, driver or viewer");
    }
}
