package dev.berth.engine.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a monitor's output log (engine-native/PROTOCOL.md, "output log") across its rotated files, splitting
 * records into lines like {@code docker logs}.
 */
public final class LogReader {
    private static final byte[] MAGIC = "BERTHLOG1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 13;

    private final LogConfig config;

    public LogReader(LogConfig config) {
        this.config = config;
    }

    public LogConfig config() {
        return config;
    }

    /** The lines matching {@code query}, oldest first. */
    public List<LogRecord> read(LogQuery query) {
        Deque<LogRecord> lines = new ArrayDeque<>();
        for (Path file : filesOldestFirst()) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                Cursor c = new Cursor(ch);
                if (!c.skipMagic(file)) continue;
                c.forEach(r -> {
                    if (matches(query, r)) {
                        lines.addLast(r);
                        if (query.tail() >= 0 && lines.size() > query.tail()) lines.removeFirst();
                    }
                });
            } catch (NoSuchFileException e) {
                // rotated away while we listed
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the log " + file, e);
            }
        }
        return new ArrayList<>(lines);
    }

    /**
     * Delivers the lines matching {@code query}, then every new line as the monitor appends it (across
     * rotations), until the returned handle is closed. Lines are delivered on a daemon thread.
     */
    public Closeable follow(LogQuery query, Consumer<LogRecord> sink) {
        Follower f = new Follower(query, sink);
        Thread t = new Thread(f, "berth-log-follow");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private List<Path> filesOldestFirst() {
        List<Path> files = new ArrayList<>();
        for (int i = config.maxFiles() - 1; i >= 1; i--) {
            Path p = Path.of(config.path() + "." + i);
            if (Files.exists(p)) files.add(p);
        }
        if (Files.exists(config.path())) files.add(config.path());
        return files;
    }

    private static boolean matches(LogQuery q, LogRecord r) {
        if (r.stream() == StreamKind.STDOUT && !q.stdout()) return false;
        if (r.stream() == StreamKind.STDERR && !q.stderr()) return false;
        if (q.since() != null && r.time().isBefore(q.since())) return false;
        return q.until() == null || r.time().isBefore(q.until());
    }

    /** Reads whole records from a channel, remembering where the last complete record ended. */
    private static final class Cursor {
        private final FileChannel ch;
        private long pos;

        Cursor(FileChannel ch) {
            this.ch = ch;
        }

        boolean skipMagic(Path file) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
            if (ch.read(b, 0) < MAGIC.length) return false;
            if (!java.util.Arrays.equals(b.array(), MAGIC)) {
                throw new IOException(file + " is not a Berth log (bad magic)");
            }
            pos = MAGIC.length;
            return true;
        }

        /** Emits every complete record after pos; returns whether any was read. */
        boolean forEach(Consumer<LogRecord> lineSink) throws IOException {
            boolean any = false;
            ByteBuffer hdr = ByteBuffer.allocate(HEADER);
            while (true) {
                hdr.clear();
                if (ch.read(hdr, pos) < HEADER) return any;
                hdr.flip();
                long ts = hdr.getLong();
                int stream = hdr.get();
                int len = hdr.getInt();
                if (len < 0 || len > (64 << 20)) throw new IOException("corrupt log record at " + pos);
                if (ch.size() < pos + HEADER + len) return any;
                ByteBuffer body = ByteBuffer.allocate(len);
                while (body.hasRemaining() && ch.read(body, pos + HEADER + body.position()) > 0) { }
                pos += HEADER + len;
                any = true;
                split(ExitFile.toInstant(ts), stream == 2 ? StreamKind.STDERR : StreamKind.STDOUT, body.array(), lineSink);
            }
        }
    }

    private static void split(Instant t, StreamKind s, byte[] b, Consumer<LogRecord> sink) {
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                sink.accept(new LogRecord(t, s, java.util.Arrays.copyOfRange(b, start, i + 1)));
                start = i + 1;
            }
        }
        if (start < b.length) sink.accept(new LogRecord(t, s, java.util.Arrays.copyOfRange(b, start, b.length)));
    }

    private final class Follower implements Runnable, Closeable {
        private final LogQuery query;
        private final Consumer<LogRecord> sink;
        private volatile boolean closed;

        Follower(LogQuery query, Consumer<LogRecord> sink) {
            this.query = Objects.requireNonNull(query);
            this.sink = sink;
        }

        @Override
        public void run() {
            try {
                List<LogRecord> history = new ArrayList<>();
                for (Path file : filesOldestFirst()) {
                    if (!file.equals(config.path())) history.addAll(readOne(file, query));
                }
                FileChannel ch = openCurrent();
                Object key = ch == null ? null : fileKey();
                Cursor c = ch == null ? null : new Cursor(ch);
                if (c != null) {
                    if (!c.skipMagic(config.path())) c.pos = MAGIC.length;
                    c.forEach(r -> { if (matches(query, r)) history.add(r); });
                }
                int from = query.tail() < 0 ? 0 : Math.max(0, history.size() - query.tail());
                for (LogRecord r : history.subList(from, history.size())) sink.accept(r);
                while (!closed) {
                    boolean any = c != null && c.forEach(r -> { if (matches(query, r)) sink.accept(r); });
                    if (any) continue;
                    Object now = Files.exists(config.path()) ? fileKey() : null;
                    if (now != null && !now.equals(key)) { // rotated (or created): finish the old file, then switch
                        if (c != null) {
                            c.forEach(r -> { if (matches(query, r)) sink.accept(r); });
                            ch.close();
                        }
                        ch = openCurrent();
                        key = now;
                        c = ch == null ? null : new Cursor(ch);
                        if (c != null) c.pos = MAGIC.length;
                        continue;
                    }
                    Thread.sleep(50);
                }
                if (ch != null) ch.close();
            } catch (IOException e) {
                if (!closed) throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private Object fileKey() throws IOException {
            return Files.readAttributes(config.path(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        }

        private FileChannel openCurrent() throws IOException {
            try {
                return FileChannel.open(config.path(), StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        private List<LogRecord> readOne(Path file, LogQuery q) throws IOException {
            List<LogRecord> out = new ArrayList<>();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                Cursor c = new Cursor(ch);
                if (c.skipMagic(file)) c.forEach(r -> { if (matches(q, r)) out.add(r); });
            } catch (NoSuchFileException e) {
                return out;
            }
            return out;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
