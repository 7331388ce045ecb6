package dev.berth.terminal.vt;

/**
 * A cell's rendition packed into one long: foreground (26 bits), background (26 bits), attribute flags (8 bits).
 * A colour is 0 (default), {@code PALETTE | index} (0..255) or {@code RGB | 0xRRGGBB}.
 */
public final class Style {
    public static final long DEFAULT = 0L;

    public static final int PALETTE = 1 << 24;
    public static final int RGB = 2 << 24;
    private static final long COLOR_MASK = (1L << 26) - 1;

    public static final int BOLD = 1, DIM = 2, ITALIC = 4, UNDERLINE = 8, BLINK = 16, INVERSE = 32, HIDDEN = 64, STRIKE = 128;

    private Style() {
    }

    public static int fg(long s) {
        return (int) (s & COLOR_MASK);
    }

    public static int bg(long s) {
        return (int) ((s >>> 26) & COLOR_MASK);
    }

    public static int flags(long s) {
        return (int) ((s >>> 52) & 0xFF);
    }

    public static long of(int fg, int bg, int flags) {
        return (fg & COLOR_MASK) | ((bg & COLOR_MASK) << 26) | ((long) (flags & 0xFF) << 52);
    }

    public static long withFg(long s, int fg) {
        return of(fg, bg(s), flags(s));
    }

    public static long withBg(long s, int bg) {
        return of(fg(s), bg, flags(s));
    }

    public static long withFlag(long s, int flag, boolean on) {
        int f = flags(s);
        return of(fg(s), bg(s), on ? f | flag : f & ~flag);
    }

    /** The style an erase leaves behind: only the background survives (xterm's "background colour erase"). */
    public static long eraseOf(long s) {
        return of(0, bg(s), 0);
    }

    /** SGR parameters (without CSI and 'm') that set exactly this style from a reset. */
    public static String sgr(long s) {
        StringBuilder b = new StringBuilder("0");
        int f = flags(s);
        if ((f & BOLD) != 0) b.append(";1");
        if ((f & DIM) != 0) b.append(";2");
        if ((f & ITALIC) != 0) b.append(";3");
        if ((f & UNDERLINE) != 0) b.append(";4");
        if ((f & BLINK) != 0) b.append(";5");
        if ((f & INVERSE) != 0) b.append(";7");
        if ((f & HIDDEN) != 0) b.append(";8");
        if ((f & STRIKE) != 0) b.append(";9");
        appendColor(b, fg(s), 30, 90, 38);
        appendColor(b, bg(s), 40, 100, 48);
        return b.toString();
    }

    private static void appendColor(StringBuilder b, int c, int base, int brightBase, int ext) {
        if (c == 0) return;
        int v = c & 0xFFFFFF;
        if ((c & RGB) != 0) {
            b.append(';').append(ext).append(";2;").append((v >> 16) & 0xFF).append(';').append((v >> 8) & 0xFF).append(';').append(v & 0xFF);
        } else if (v < 8) {
            b.append(';').append(base + v);
        } else if (v < 16) {
            b.append(';').append(brightBase + v - 8);
        } else {
            b.append(';').append(ext).append(";5;").append(v);
        }
    }
}
