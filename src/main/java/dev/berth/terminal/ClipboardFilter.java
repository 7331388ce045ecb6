package dev.berth.terminal;

import java.io.ByteArrayOutputStream;

/**
 * Removes OSC 52 (clipboard read/write) sequences from terminal output, across chunk boundaries, so that a
 * program in a container can neither write nor read a viewer's clipboard. Everything else passes unchanged.
 * Not thread-safe (one per hub, used by its reader).
 */
public final class ClipboardFilter {
    private static final int NORMAL = 0, ESC = 1, OSC_NUM = 2, PASS = 3, DROP = 5, DROP_ESC = 6;
    private int state = NORMAL;
    private final StringBuilder held = new StringBuilder(); // bytes of an OSC whose number is not known yet
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);

    /** Returns the filtered bytes (the same array when nothing had to be removed and nothing is held). */
    public byte[] filter(byte[] b, int off, int len) {
        boolean clean = state == NORMAL;
        if (clean) {
            for (int i = off; i < off + len; i++) {
                if (b[i] == 0x1B) {
                    clean = false;
                    break;
                }
            }
            if (clean) {
                if (off == 0 && len == b.length) return b;
                byte[] copy = new byte[len];
                System.arraycopy(b, off, copy, 0, len);
                return copy;
            }
        }
        out.reset();
        for (int i = off; i < off + len; i++) step(b[i]);
        return out.toByteArray();
    }

    private void step(byte c) {
        switch (state) {
            case NORMAL -> {
                if (c == 0x1B) state = ESC;
                else out.write(c);
            }
            case ESC -> {
                if (c == ']') {
                    state = OSC_NUM;
                    held.setLength(0);
                } else {
                    out.write(0x1B);
                    if (c == 0x1B) return; // stay in ESC
                    out.write(c);
                    state = NORMAL;
                }
            }
            case OSC_NUM -> {
                if (c >= '0' && c <= '9' && held.length() < 8) {
                    held.append((char) c);
                } else if (held.toString().equals("52")) {
                    state = c == 0x07 ? NORMAL : c == 0x1B ? DROP_ESC : DROP;
                } else {
                    out.write(0x1B);
                    out.write(']');
                    for (int i = 0; i < held.length(); i++) out.write(held.charAt(i));
                    if (c == 0x1B) {
                        state = ESC;
                    } else {
                        out.write(c);
                        state = c == 0x07 || c == 0x18 || c == 0x1A ? NORMAL : PASS;
                    }
                }
            }
            case PASS -> {
                if (c == 0x1B) {
                    state = ESC; // ends this OSC: ESC \ is written by ESC, ESC ] starts a new one that is checked again
                    return;
                }
                out.write(c);
                if (c == 0x07 || c == 0x18 || c == 0x1A) state = NORMAL;
            }
            case DROP -> {
                if (c == 0x07 || c == 0x18 || c == 0x1A) state = NORMAL;
                else if (c == 0x1B) state = DROP_ESC;
            }
            case DROP_ESC -> {
                if (c == '\\') {
                    state = NORMAL;
                } else {
                    state = ESC;
                    step(c);
                }
            }
            default -> state = NORMAL;
        }
    }
}
