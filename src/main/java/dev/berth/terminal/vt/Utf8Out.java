package dev.berth.terminal.vt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer with {@link StringBuilder}'s append overloads ({@code append(char)} writes the
 * character, {@code append(int)} its decimal digits). Snapshots are built here directly as bytes: a repaint of a
 * screen and its scrollback is mostly ASCII, and going through a StringBuilder, a String and an encoder cost three
 * passes and copies where one suffices.
 */
final class Utf8Out {
    private byte[] b;
    private int n;

    Utf8Out(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (n + more > b.length) b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
    }

    Utf8Out append(String s) {
        int len = s.length();
        ensure(len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) { // rare (titles): encode the rest properly
                byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                ensure(rest.length);
                System.arraycopy(rest, 0, b, n, rest.length);
                n += rest.length;
                return this;
            }
            b[n++] = (byte) c;
        }
        return this;
    }

    Utf8Out append(char c) {
        return appendCodePoint(c);
    }

    Utf8Out append(int v) {
        if (v < 0) {
            append('-');
            v = -v;
        }
        if (v < 10) {
            ensure(1);
            b[n++] = (byte) ('0' + v);
            return this;
        }
        return append(Integer.toString(v));
    }

    Utf8Out appendCodePoint(int cp) {
        ensure(4);
        if (cp < 0x80) {
            b[n++] = (byte) cp;
        } else if (cp < 0x800) {
            b[n++] = (byte) (0xc0 | cp >> 6);
            b[n++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp < 0x10000) {
            if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate is not a character
            b[n++] = (byte) (0xe0 | cp >> 12);
            b[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
            b[n++] = (byte) (0x80 | cp & 0x3f);
        } else if (cp <= 0x10ffff) {
            b[n++] = (byte) (0xf0 | cp >> 18);
            b[n++] = (byte) (0x80 | cp >> 12 & 0x3f);
            b[n++] = (byte) (0x80 | cp >> 6 & 0x3f);
            b[n++] = (byte) (0x80 | cp & 0x3f);
        } else {
            return appendCodePoint(0xfffd);
        }
        return this;
    }

    /** The cells {@code ch[from..to)} when all are printable ASCII or empty (0 → space); returns false otherwise. */
    boolean appendAsciiCells(int[] ch, int from, int to) {
        ensure(to - from);
        int at = n;
        for (int x = from; x < to; x++) {
            int c = ch[x];
            if (c >= 0x80 || c < 0) return false; // nothing committed: n is unchanged
            b[at++] = c == 0 ? (byte) ' ' : (byte) c;
        }
        n = at;
        return true;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(b, n);
    }
}
