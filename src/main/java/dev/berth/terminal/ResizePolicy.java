package dev.berth.terminal;

/** How the PTY's size is chosen when clients have different window sizes. */
public enum ResizePolicy {
    /** The PTY follows the active driver (the one holding control, else the one who typed last). */
    DRIVER,
    /** The PTY is as small as the smallest attached client, so everyone sees everything unscaled. */
    SMALLEST;

    public String wire() {
        return name().toLowerCase();
    }

    public static ResizePolicy fromWire(String s) {
        for (ResizePolicy p : values()) if (p.wire().equals(s)) return p;
        throw new IllegalArgumentException("unknown resize policy '" + s + "': use driver or smallest");
    }
}
