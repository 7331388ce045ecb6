package dev.berth.terminal;

/** Who may type: every driver at once, or one driver holding control. */
public enum KeyboardMode {
    SHARED, SINGLE;

    public String wire() {
        return name().toLowerCase();
    }

    public static KeyboardMode fromWire(String s) {
        for (KeyboardMode m : values()) if (m.wire().equals(s)) return m;
        throw new IllegalArgumentException("unknown keyboard mode '" + s + "': use shared or single");
    }
}
