package dev.berth.engine.runtime;

/** A PTY size in character cells. */
public record TerminalSize(int cols, int rows) {
    public static final TerminalSize DEFAULT = new TerminalSize(80, 24);

    public TerminalSize {
        if (cols < 1 || rows < 1 || cols > 65535 || rows > 65535) {
            throw new IllegalArgumentException("terminal size must be 1..65535 x 1..65535, got " + cols + "x" + rows);
        }
    }
}
