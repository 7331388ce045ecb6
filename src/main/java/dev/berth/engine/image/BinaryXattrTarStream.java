package dev.berth.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Passes a tar stream through unchanged except for PAX extended headers: each {@code SCHILY.xattr.NAME} record is
 * rewritten as {@code BERTH.xattr.hex.NAME} with the value's bytes in hex.
 *
 * <p>Why: xattr values are binary ({@code security.capability} of {@code ping}, ACLs), but the tar reader decodes
 * every PAX value as UTF-8 and replaces invalid bytes, corrupting them. Hex survives that decoding;
 * {@link LayerApplier} decodes it back. Everything else (file data, other headers, the end-of-archive blocks) is
 * copied as is, so a malformed archive still fails in the tar reader with its own message.
 */
final class BinaryXattrTarStream extends FilterInputStream {
    static final String HEX_PREFIX = "BERTH.xattr.hex.";
    private static final byte[] SCHILY = "SCHILY.xattr.".getBytes(StandardCharsets.US_ASCII);
    private static final int BLOCK = 512;
    /** PAX headers larger than this are passed through untouched (the tar reader judges them). */
    private static final int MAX_PAX = 1 << 20;

    private byte[] pending = new byte[0];
    private int pendingPos;
    /** Bytes of entry data (with padding) still to pass through before the next header. */
    private long dataLeft;
    /** Set by a PAX {@code size} record: the data size of the next entry. */
    private long paxSize = -1;
    /** After the first all-zero block (end of archive) everything passes through untouched. */
    private boolean raw;

    BinaryXattrTarStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (true) {
            if (pendingPos < pending.length) {
                int n = Math.min(len, pending.length - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                pendingPos += n;
                return n;
            }
            if (raw) return in.read(b, off, len);
            if (dataLeft > 0) {
                int n = in.read(b, off, (int) Math.min(len, dataLeft));
                if (n > 0) dataLeft -= n;
                return n;
            }
            if (!nextHeader()) return -1;
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(8192, Math.max(1, n))];
        long done = 0;
        while (done < n) {
            int r = read(sink, 0, (int) Math.min(sink.length, n - done));
            if (r < 0) break;
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return pending.length - pendingPos;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads the next header block and queues it (rewritten when it is a PAX header); false at end of stream. */
    private boolean nextHeader() throws IOException {
        byte[] header = in.readNBytes(BLOCK);
        if (header.length == 0) return false;
        pending = header;
        pendingPos = 0;
        if (header.length < BLOCK || allZero(header)) {
            raw = true;
            return true;
        }
        long size = octalOrBase256(header, 124, 12);
        if (size < 0) {
            raw = true; // not a header we understand: let the tar reader report it
            return true;
        }
        char type = (char) header[156];
        if (type == 'x' && size <= MAX_PAX) {
            byte[] body = in.readNBytes((int) padded(size));
            if (body.length < padded(size)) {
                raw = true;
                pending = concat(header, body);
                return true;
            }
            byte[] records = java.util.Arrays.copyOf(body, (int) size);
            byte[] rewritten = rewrite(records);
            if (rewritten == null) {
                pending = concat(header, body);
            } else {
                writeOctal(header, 124, 12, rewritten.length);
                checksum(header);
                pending = concat(header, java.util.Arrays.copyOf(rewritten, (int) padded(rewritten.length)));
            }
            return true;
        }
        if (type == 'S' && (header[482] & 0xff) != 0) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header);
            byte[] ext;
            do {
                ext = in.readNBytes(BLOCK);
                out.write(ext);
            } while (ext.length == BLOCK && (ext[504] & 0xff) != 0);
            pending = out.toByteArray();
        }
        boolean metaEntry = type == 'x' || type == 'g' || type == 'L' || type == 'K';
        dataLeft = padded(!metaEntry && paxSize >= 0 ? paxSize : size);
        if (!metaEntry) paxSize = -1;
        return true;
    }

    /** The PAX records with xattr values hex-encoded; null when there is nothing to change. */
    private byte[] rewrite(byte[] records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.length * 2);
        boolean changed = false;
        int pos = 0;
        while (pos < records.length) {
            int space = indexOf(records, (byte) ' ', pos);
            if (space < 0) return null;
            int length;
            try {
                length = Integer.parseInt(new String(records, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
            int end = pos + length;
            if (length <= 0 || end > records.length || records[end - 1] != '\n') return null;
            int eq = indexOf(records, (byte) '=', space + 1);
            if (eq < 0 || eq >= end) return null;
            String key = new String(records, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            if (key.equals("size")) {
                try {
                    paxSize = Long.parseLong(new String(records, eq + 1, end - eq - 2, StandardCharsets.US_ASCII));
                } catch (NumberFormatException ignored) {
                    // the tar reader reports it
                }
            }
            if (startsWith(records, space + 1, SCHILY)) {
                String name = key.substring(SCHILY.length);
                String hex = HexFormat.of().formatHex(records, eq + 1, end - 1);
                writeRecord(out, HEX_PREFIX + name, hex);
                changed = true;
            } else {
                out.write(records, pos, length);
            }
            pos = end;
        }
        return changed ? out.toByteArray() : null;
    }

    /** Writes {@code "LEN key=value\n"} where LEN counts the whole record, itself included. */
    private static void writeRecord(ByteArrayOutputStream out, String key, String value) {
        byte[] kv = (key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int len = kv.length + 2;
        while (String.valueOf(len).length() + 1 + kv.length != len) {
            len = String.valueOf(len).length() + 1 + kv.length;
        }
        out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(kv);
    }

    private static long octalOrBase256(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) {
            long v = h[off] & 0x7f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) return -1;
                v = (v << 8) | (h[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (h[i] == ' ' || h[i] == 0)) i++;
        boolean any = false;
        for (; i < end && h[i] >= '0' && h[i] <= '7'; i++) {
            v = v * 8 + (h[i] - '0');
            any = true;
        }
        for (; i < end; i++) {
            if (h[i] != ' ' && h[i] != 0) return -1;
        }
        return any ? v : 0;
    }

    private static void writeOctal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        String padded = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }

    private static void checksum(byte[] h) {
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : h) sum += x & 0xff;
        String s = Long.toOctalString(sum);
        String six = "0".repeat(Math.max(0, 6 - s.length())) + s;
        System.arraycopy(six.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        if (off + prefix.length > b.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[off + i] != prefix[i]) return false;
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
