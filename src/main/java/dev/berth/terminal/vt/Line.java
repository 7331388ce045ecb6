package dev.berth.terminal.vt;

import java.util.Arrays;

/** One row of cells. {@code ch[i] == 0} is an empty cell, {@link #WIDE_TAIL} the right half of a wide character. */
final class Line {
    static final int WIDE_TAIL = -1;

    int[] ch;
    long[] style;
    /** This line continues the previous one (the previous line soft-wrapped into it). */
    boolean wrapped;

    Line(int cols, long erase) {
        ch = new int[cols];
        style = new long[cols];
        if (erase != 0) Arrays.fill(style, erase);
    }

    /** Makes this line blank (every cell erased with {@code erase}), for reuse; returns it. */
    Line reset(long erase) {
        Arrays.fill(ch, 0);
        Arrays.fill(style, erase);
        wrapped = false;
        return this;
    }

    Line copy() {
        Line l = new Line(0, 0);
        l.ch = ch.clone();
        l.style = style.clone();
        l.wrapped = wrapped;
        return l;
    }

    int cols() {
        return ch.length;
    }

    void clear(int from, int to, long erase) {
        from = Math.max(0, from);
        to = Math.min(ch.length, to);
        if (from >= to) return;
        // never leave half of a wide character behind
        if (from > 0 && ch[from] == WIDE_TAIL) {
            ch[from - 1] = 0;
        }
        if (to < ch.length && ch[to] == WIDE_TAIL) {
            ch[to] = 0;
        }
        Arrays.fill(ch, from, to, 0);
        Arrays.fill(style, from, to, erase);
    }

    void resize(int cols) {
        int old = ch.length;
        ch = Arrays.copyOf(ch, cols);
        style = Arrays.copyOf(style, cols);
        if (cols < old && cols > 0 && ch[cols - 1] > 0 && CharWidth.of(ch[cols - 1]) == 2) {
            ch[cols - 1] = 0;
        }
    }

    /** Index after the last cell that is not an empty default cell. */
    int contentEnd() {
        int n = ch.length;
        while (n > 0 && (ch[n - 1] == 0 || ch[n - 1] == ' ') && style[n - 1] == 0) n--;
        return n;
    }
}
