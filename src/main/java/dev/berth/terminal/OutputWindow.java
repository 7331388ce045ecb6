package dev.berth.terminal;

/**
 * The most recent output of a terminal, numbered by byte: byte {@code n} of the stream has sequence number n.
 * A reconnecting client names the next sequence number it needs and gets exactly the bytes from there, as long
 * as they are still in the window. Not thread-safe (the hub guards it).
 */
public final class OutputWindow {
    private final byte[] ring;
    private long end; // sequence number of the next byte to be appended

    public OutputWindow(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("output window capacity must be positive");
        ring = new byte[capacity];
    }

    public long start() {
        return Math.max(0, end - ring.length);
    }

    public long end() {
        return end;
    }

    public int capacity() {
        return ring.length;
    }

    public void append(byte[] b, int off, int len) {
        if (len >= ring.length) {
            off += len - ring.length;
            end += len - ring.length;
            len = ring.length;
        }
        int pos = (int) (end % ring.length);
        int first = Math.min(len, ring.length - pos);
        System.arraycopy(b, off, ring, pos, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        end += len;
    }

    /** Whether the bytes from {@code from} to the end are all still held. */
    public boolean holds(long from) {
        return from >= start() && from <= end;
    }

    /** The bytes from {@code from} to the end; {@link #holds} must be true. */
    public byte[] copyFrom(long from) {
        if (!holds(from)) throw new IllegalArgumentException("sequence " + from + " is outside the window [" + start() + ", " + end + "]");
        int len = (int) (end - from);
        byte[] out = new byte[len];
        int pos = (int) (from % ring.length);
        int first = Math.min(len, ring.length - pos);
        System.arraycopy(ring, pos, out, 0, first);
        System.arraycopy(ring, 0, out, first, len - first);
        return out;
    }
}
