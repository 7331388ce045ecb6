package dev.berth.sharing;

import dev.berth.terminal.TerminalRole;

/** What a grant or a share link lets its holder do on a terminal: watch, or type too. */
public enum ShareRole {
    VIEW(TerminalRole.VIEWER),
    DRIVE(TerminalRole.DRIVER);

    private final TerminalRole terminalRole;

    ShareRole(TerminalRole terminalRole) {
        this.terminalRole = terminalRole;
    }

    public TerminalRole terminalRole() {
        return terminalRole;
    }

    public String wire() {
        return name().toLowerCase();
    }

    /** The role named {@code s} ("view" or "drive"), or null for anything else. */
    public static ShareRole fromWire(String s) {
        for (ShareRole r : values()) if (r.wire().equals(s)) return r;
        return null;
    }
}
