package dev.berth.terminal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Removes OSC 52 (clipboard read/write) sequences from terminal output, across chunk boundaries, so that a
 * program in a container can neither write nor read a viewer's clipboard. Everything else passes unchanged.
 * An OSC is recognised as a terminal (xterm.js) reads it: introduced by {@code ESC ]} or by the C1 control U+009D
 * (UTF-8 {@code C2 9D}), its number read as a number ({@code 052} is 52). Not thread-safe (one per hub, used by its
 * reader).
 */
public final class ClipboardFilter {
    private static final int NORMAL = 0, ESC = 1, OSC_NUM = 2, PASS = 3, DROP = 5, DROP_ESC = 6, C2 = 7, DROP_C2 = 8, ESC_C2 = 9;
    private static final byte ESC_BYTE = 0x1B, C1_LEAD = (byte) 0xC2, C1_OSC = (byte) 0x9D, C1_ST = (byte) 0x9C;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;
    private static final long ESCS = 0x1BL * ONES, C1_LEADS = 0xC2L * ONES;
    private int state = NORMAL;
    private int afterC2 = NORMAL; // the state a C2 byte that does not start a C1 OSC goes back to
    private boolean oscC1; // the OSC being read was introduced by U+009D, not ESC ]
    private boolean oscOpen; // an OSC that passes is open in the output: no terminator (BEL, CAN, SUB, ESC) written yet
    private final StringBuilder held = new StringBuilder(); // digits of an OSC whose number is not known yet
    private long heldZeros; // and the zeros before them
    private byte[] out = new byte[8192]; // the slow path's output
    private int outLen;

    /** Returns the filtered bytes (the same array when nothing had to be removed and nothing is held). */
    public byte[] filter(byte[] b, int off, int len) {
        if ((state == NORMAL || state == PASS) && passesUnchanged(b, off, off + len)) {
            return off == 0 && len == b.length ? b : Arrays.copyOfRange(b, off, off + len);
        }
        // an OSC 52 to drop, or bytes held across a chunk boundary: byte by byte
        outLen = 0;
        if (out.length < len + 16) out = new byte[len + 16];
        for (int i = off; i < off + len; i++) step(b[i]);
        return Arrays.copyOf(out, outLen);
    }

    private static boolean endsOsc(byte c) {
        return c == 0x07 || c == 0x18 || c == 0x1A;
    }

    /**
     * Whether the chunk passes as it is: no OSC 52 starts in it, no C1 OSC, no {@code ESC ESC}, and nothing is held
     * back at its end (an ESC, a C2 byte, or an OSC whose number is not complete). If so, moves the state to where the
     * chunk leaves it and returns true; if not, leaves the state as it was. Spans of text and of other OSCs' payloads
     * are scanned in tight loops: coloured output has an ESC every few dozen bytes, and taking every chunk with an ESC in
     * it byte by byte through {@link #step} (as this filter did, into a synchronized stream) capped it at 30 MB/s.
     */
    private boolean passesUnchanged(byte[] b, int from, int to) {
        int s = state;
        int i = from;
        while (i < to) {
            if (s == ESC) { // b[i] is the byte after an ESC
                byte c = b[i];
                if (c == ESC_BYTE) return false; // ESC ESC: the first one is dropped
                if (c != ']') {
                    s = NORMAL; // ESC and c pass; c is looked at again as text
                    continue;
                }
                i++;
                while (i < to && b[i] == '0') i++;
                int digits = i;
                while (i < to && b[i] >= '0' && b[i] <= '9' && i - digits < 8) i++;
                if (i == to) return false; // the OSC's number may go on in the next chunk: held
                if (i - digits == 2 && b[digits] == '5' && b[digits + 1] == '2') return false; // OSC 52: dropped
                s = PASS; // another OSC: its number and payload pass
                continue;
            }
            byte c = 0;
            if (s == NORMAL) {
                i = nextEscOrC1Lead(b, i, to);
                if (i < to) c = b[i];
            } else { // PASS
                while (i < to && (c = b[i]) != ESC_BYTE && c != C1_LEAD && !endsOsc(c)) i++;
            }
            if (i == to) break;
            if (++i == to && (c == ESC_BYTE || c == C1_LEAD)) return false; // held
            if (c == ESC_BYTE) {
                s = ESC;
            } else if (c == C1_LEAD) {
                // a C1 OSC is checked byte by byte, and so is a C2 that is not followed by a continuation byte
                if (b[i] == C1_OSC || (b[i] & 0xC0) != 0x80) return false;
            } else {
                s = NORMAL; // the end of a passing OSC
            }
        }
        state = s;
        oscOpen = s == PASS;
        return true;
    }

    /**
     * The index of the next ESC or C2 byte from {@code i} ({@code to} if none): eight bytes at a time while there is
     * none among them (a byte equal to one of the two makes {@code x ^ pattern} have a zero byte, which the usual
     * {@code (v - 0x01..) & ~v & 0x80..} test finds), then byte by byte.
     */
    private static int nextEscOrC1Lead(byte[] b, int i, int to) {
        while (i + 8 <= to) {
            long x = (long) LONGS.get(b, i);
            long e = x ^ ESCS, l = x ^ C1_LEADS;
            if (((((e - ONES) & ~e) | ((l - ONES) & ~l)) & HIGHS) != 0) break;
            i += 8;
        }
        while (i < to && b[i] != ESC_BYTE && b[i] != C1_LEAD) i++;
        return i;
    }

    private void write(int c) {
        if (outLen == out.length) out = Arrays.copyOf(out, out.length * 2);
        out[outLen++] = (byte) c;
    }

    private void startOsc(boolean c1) {
        state = OSC_NUM;
        oscC1 = c1;
        held.setLength(0);
        heldZeros = 0;
    }

    private void step(byte c) {
        switch (state) {
            case NORMAL, PASS -> {
                if (c == ESC_BYTE) {
                    state = ESC; // ends a passing OSC too: ESC \ is written by ESC, ESC ] starts one that is checked
                } else if (c == C1_LEAD) {
                    afterC2 = state;
                    state = C2;
                } else {
                    write(c);
                    if (state == PASS && endsOsc(c)) {
                        state = NORMAL;
                        oscOpen = false;
                    }
                }
            }
            case ESC -> {
                // An ESC that goes out is followed by the byte after it, never by what follows a dropped sequence:
                // ESC ESC ] 5 2 ; x BEL ] 5 2 ; ... must not come out as ESC ] 5 2 ; ... So where a terminal drops an
                // ESC (before another ESC, or before a C1 control), this filter drops it too.
                if (c == ']') {
                    startOsc(false);
                } else if (c == C1_LEAD) {
                    state = ESC_C2;
                } else if (c != ESC_BYTE) {
                    write(ESC_BYTE);
                    oscOpen = false;
                    state = NORMAL;
                    step(c);
                }
            }
            case ESC_C2 -> {
                if (c == C1_OSC) {
                    startOsc(true);
                } else {
                    write(ESC_BYTE);
                    oscOpen = false;
                    afterC2 = NORMAL;
                    state = C2;
                    step(c);
                }
            }
            case C2 -> {
                if (c == C1_OSC) {
                    startOsc(true);
                } else if ((c & 0xC0) == 0x80) {
                    write(C1_LEAD); // a character U+0080..U+00BF
                    write(c);
                    state = afterC2;
                } else {
                    // not UTF-8: a terminal shows U+FFFD for the C2 and reads c on its own. Written as it is, the C2 could
                    // meet what follows a dropped sequence (C2 C2 9D 5 2 ; BEL 9D 5 2 ...); U+FFFD never can
                    write(0xEF);
                    write(0xBF);
                    write(0xBD);
                    state = afterC2;
                    step(c);
                }
            }
            case OSC_NUM -> {
                if (c == '0' && held.length() == 0) {
                    heldZeros++;
                } else if (c >= '0' && c <= '9' && held.length() < 8) {
                    held.append((char) c);
                } else if (held.toString().equals("52")) {
                    // An OSC that passed and was ended by the ESC (or interrupted by the U+009D) that starts this one
                    // still needs its end: without it, ESC ] ESC ] 5 2 ; x BEL 5 2 ; ... would come out as ESC ] 5 2 ; ...
                    if (oscOpen) {
                        write(0x07);
                        oscOpen = false;
                    }
                    state = DROP; // c too: the separator, or the end of an OSC 52 with nothing after its number
                    step(c);
                } else {
                    if (oscC1) {
                        write(C1_LEAD);
                        write(C1_OSC);
                    } else {
                        write(ESC_BYTE);
                        write(']');
                    }
                    for (long z = 0; z < heldZeros; z++) write('0');
                    for (int i = 0; i < held.length(); i++) write(held.charAt(i));
                    oscOpen = true;
                    state = PASS;
                    step(c);
                }
            }
            case DROP -> {
                if (endsOsc(c)) state = NORMAL;
                else if (c == ESC_BYTE) state = DROP_ESC;
                else if (c == C1_LEAD) state = DROP_C2;
            }
            case DROP_ESC -> {
                if (c == '\\') {
                    state = NORMAL;
                } else {
                    state = ESC;
                    step(c);
                }
            }
            case DROP_C2 -> {
                int u = c & 0xFF;
                if (u == (C1_ST & 0xFF)) {
                    state = NORMAL; // ST
                } else if (u >= 0x80 && u <= 0x9F) {
                    afterC2 = NORMAL; // any other C1 control ends the OSC in a terminal and takes effect
                    state = C2;
                    step(c);
                } else {
                    state = DROP;
                    step(c);
                }
            }
            default -> state = NORMAL;
        }
    }
}
