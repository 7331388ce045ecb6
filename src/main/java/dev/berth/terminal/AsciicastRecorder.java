package dev.berth.terminal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a terminal session as asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a JSON header
 * line, then one JSON array per event: {@code [time, "o", text]} output, {@code [time, "i", text]} input,
 * {@code [time, "r", "COLSxROWS"]} resize, and {@code [time, "m", "input: USER"]} markers naming who typed the
 * input events that follow. The recording starts with a repaint of the screen as it was.
 */
public final class AsciicastRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AsciicastRecorder.class.getName());
    private static final long FLUSH_NANOS = 200_000_000L;

    private final Path file;
    private final String title;
    private final Clock clock;
    private final Utf8Stream outputText = new Utf8Stream();
    private final Utf8Stream inputText = new Utf8Stream();
    private BufferedWriter out;
    private long startNanos;
    private long lastFlush;
    private String lastTypist;
    private boolean failed;

    public AsciicastRecorder(Path file, String title, Clock clock) {
        this.file = file;
        this.title = title;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    private static CharsetDecoder decoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    void begin(int cols, int rows, byte[] initialScreen) throws IOException {
        Files.createDirectories(file.getParent());
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        startNanos = System.nanoTime();
        StringBuilder h = new StringBuilder("{\"version\":2,\"width\":").append(cols).append(",\"height\":").append(rows)
                .append(",\"timestamp\":").append(clock.instant().getEpochSecond());
        if (title != null) {
            h.append(",\"title\":");
            quote(h, title);
        }
        h.append(",\"env\":{\"TERM\":\"xterm-256color\"}}\n");
        out.write(h.toString());
        event("o", new String(initialScreen, StandardCharsets.UTF_8));
    }

    void output(byte[] data) {
        String s = outputText.decode(data);
        if (!s.isEmpty()) event("o", s);
    }

    void input(String user, byte[] data) {
        if (!user.equals(lastTypist)) {
            lastTypist = user;
            event("m", "input: " + user);
        }
        String s = inputText.decode(data);
        if (!s.isEmpty()) event("i", s);
    }

    void resize(int cols, int rows) {
        event("r", cols + "x" + rows);
    }

    /** Decodes UTF-8 across chunk boundaries: an incomplete sequence at the end waits for the next chunk. */
    private static final class Utf8Stream {
        private final CharsetDecoder decoder = decoder();
        private byte[] rest = new byte[0];

        String decode(byte[] data) {
            byte[] all = data;
            if (rest.length > 0) {
                all = new byte[rest.length + data.length];
                System.arraycopy(rest, 0, all, 0, rest.length);
                System.arraycopy(data, 0, all, rest.length, data.length);
            }
            ByteBuffer in = ByteBuffer.wrap(all);
            CharBuffer chars = CharBuffer.allocate(all.length + 4);
            decoder.decode(in, chars, false);
            rest = new byte[in.remaining()];
            in.get(rest);
            if (rest.length > 3) { // not an incomplete sequence: give up on it
                chars.put('\uFFFD');
                rest = new byte[0];
            }
            return chars.flip().toString();
        }
    }

    private void event(String code, String text) {
        if (out == null || failed) return;
        double t = (System.nanoTime() - startNanos) / 1e9;
        StringBuilder b = new StringBuilder(text.length() + 32).append('[').append(String.format(java.util.Locale.ROOT, "%.6f", t))
                .append(",\"").append(code).append("\",");
        quote(b, text);
        b.append("]\n");
        try {
            out.write(b.toString());
            long now = System.nanoTime();
            if (now - lastFlush > FLUSH_NANOS) {
                out.flush();
                lastFlush = now;
            }
        } catch (IOException e) {
            failed = true;
            LOG.log(Level.WARNING, "recording to " + file + " failed; recording stopped", e);
        }
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF && !validSurrogate(s, i))) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    @Override
    public void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not finish recording " + file, e);
        } finally {
            out = null;
        }
    }
}
