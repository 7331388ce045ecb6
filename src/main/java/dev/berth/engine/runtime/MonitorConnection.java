package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection to a monitor's attach socket. Its output is read either by a daemon thread of its own, or,
 * when opened on a {@link ReadLoop}, by that event loop (non-blocking, no thread of its own), which can change; in
 * both cases the frames are decoded and the listener called in order, one call at a time.
 */
final class MonitorConnection implements Attachment {
    private final SocketChannel channel;
    private final AttachListener listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private volatile boolean exitSeen;
    /** Output reading held back ({@link #pauseOutput}): the monitor queues, then stops reading the program. */
    private volatile boolean outputPaused;
    private final Object pauseLock = new Object();
    /** The loop that reads (null: a thread of our own reads). Changed only on the loop it names. */
    private volatile ReadLoop loop;
    /** The current loop's key for this channel, once it reported a read (only touched on that loop). */
    private SelectionKey key;
    /** Read buffer (write mode), touched only by the reader: the thread, or the loop that reads. */
    private ByteBuffer buf;
    /**
     * On a loop the channel is non-blocking and a write never waits: what the socket does not take now waits here,
     * in order, and the loop writes it when the socket is writable (guarded by this). Never waiting matters: the
     * loop also reads the output, and a program that is blocked on its output reads no input.
     */
    private final ArrayDeque<ByteBuffer> pendingOut = new ArrayDeque<>();
    private long pendingOutBytes;
    /** Input waiting for the monitor at most; a write beyond it fails whole (the program is not reading its input). */
    static final long MAX_PENDING_INPUT = 8 << 20;

    private MonitorConnection(SocketChannel channel, AttachListener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    /**
     * Connects, says hello with {@code flags} ({@link Frames#HELLO_SCROLLBACK}, {@link Frames#HELLO_PACED},
     * {@link Frames#HELLO_NO_OUTPUT}) and starts reading: on {@code readLoop}, or on a thread of its own when it is
     * null. Throws IOException when the monitor is gone.
     */
    static MonitorConnection open(Path socket, AttachListener listener, int flags, String name, ReadLoop readLoop)
            throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        MonitorConnection c = new MonitorConnection(ch, listener);
        c.send(Frames.HELLO, new byte[] {Frames.VERSION, (byte) flags});
        // reads of up to 128 KiB; the output frames found in one read are handed over as one chunk. Direct: a read
        // into a heap buffer goes through a temporary direct one, a copy more of everything the program prints
        c.buf = ByteBuffer.allocateDirect(READ_BYTES);
        if (readLoop == null) {
            Thread t = new Thread(c::readLoop, "berth-attach-" + name);
            t.setDaemon(true);
            t.start();
        } else {
            ch.configureBlocking(false);
            c.loop = readLoop;
            readLoop.execute(() -> c.watchOn(readLoop));
        }
        return c;
    }

    static MonitorConnection open(Path socket, AttachListener listener, int flags, String name) throws IOException {
        return open(socket, listener, flags, name, null);
    }

    // ------------------------------------------------------------------ reading on a thread of our own

    private void readLoop() {
        Throwable error = null;
        try {
            boolean over = false;
            while (!over) {
                if (outputPaused && !awaitResumed()) break;
                if (channel.read(buf) < 0) {
                    if (buf.position() > 0) throw new EOFException("monitor closed mid-frame");
                    break;
                }
                over = consume();
            }
        } catch (IOException e) {
            if (open.get()) {
                error = e;
            }
        } catch (RuntimeException e) {
            error = e;
        }
        finish(error);
    }

    /** Waits while output is paused; false when the connection was closed meanwhile. */
    private boolean awaitResumed() {
        synchronized (pauseLock) {
            while (outputPaused && open.get()) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return open.get();
    }

    // ------------------------------------------------------------------ reading on an event loop

    /**
     * On {@code l}: starts watching the channel there, if {@code l} is still the loop that reads. The loop registers
     * it for reading and writing, so the first callback comes at once (a fresh socket is writable) and gives the
     * key, which then gets the interest this connection needs ({@link #updateInterest}).
     */
    private void watchOn(ReadLoop l) {
        if (loop != l || !open.get()) return;
        try {
            l.register(channel, k -> ready(l, k));
        } catch (IOException | RuntimeException e) {
            finish(e);
        }
    }

    /** Reads per readiness at most; then the loop serves its other channels and comes back if there is more. */
    private static final int READS_PER_TURN = 4;

    /** On {@code l}: the channel is readable or writable. */
    private void ready(ReadLoop l, SelectionKey k) {
        Throwable error = null;
        try {
            if (loop != l || !open.get()) { // a loop this connection moved away from, or closed
                if (k.isValid()) k.interestOps(0);
                return;
            }
            key = k;
            boolean inputWaits = flushPendingOut();
            setInterest(k, inputWaits);
            if (!k.isReadable()) return;
            boolean end = false;
            for (int i = 0; i < READS_PER_TURN && !end; i++) {
                if (outputPaused) {
                    setInterest(k, inputWaits); // reading off until resumeOutput (a send sets writing itself)
                    return;
                }
                int room = buf.remaining();
                int n = channel.read(buf);
                if (n < 0) {
                    if (buf.position() > 0) throw new EOFException("monitor closed mid-frame");
                    end = true; // finish below
                } else if (n > 0 && consume()) {
                    end = true;
                } else if (n < room || loop != l || !open.get()) {
                    return; // drained (or moved, or closed by the listener): wait for the next readiness
                }
            }
            if (!end) return; // more may be waiting: the loop comes back
        } catch (CancelledKeyException e) {
            return; // closed meanwhile by another thread, which finishes
        } catch (IOException e) {
            if (open.get()) error = e;
        } catch (RuntimeException e) {
            error = e;
        }
        finish(error);
    }

    /** On the loop: reading unless paused, writing while input waits. */
    private void updateInterest(SelectionKey k) {
        boolean inputWaits;
        synchronized (this) {
            inputWaits = !pendingOut.isEmpty();
        }
        setInterest(k, inputWaits);
    }

    private void setInterest(SelectionKey k, boolean inputWaits) {
        int ops = (outputPaused ? 0 : SelectionKey.OP_READ) | (inputWaits ? SelectionKey.OP_WRITE : 0);
        if (k.isValid() && k.interestOps() != ops) k.interestOps(ops);
    }

    /** Writes what input waits, as far as the socket takes it; true if some still waits. */
    private synchronized boolean flushPendingOut() throws IOException {
        for (ByteBuffer b; (b = pendingOut.peek()) != null; ) {
            int n = channel.write(b);
            pendingOutBytes -= n;
            if (b.hasRemaining()) return true;
            pendingOut.poll();
        }
        return false;
    }

    /**
     * Moves the reading to {@code target} (no-op on a thread of its own or when it is already there): the current
     * loop stops watching the channel, then {@code target} starts. Nothing is read twice or skipped: the buffer and
     * the order of listener calls pass from one loop to the other through their task queues. A move requested
     * while another is under way is dropped.
     */
    @Override
    public void readOn(ReadLoop target) {
        ReadLoop from = loop;
        if (from == null || from == target || target == null || !open.get()) return;
        from.execute(() -> {
            if (loop != from || !open.get()) return;
            if (key != null && key.isValid()) key.interestOps(0);
            key = null;
            loop = target;
            target.execute(() -> watchOn(target));
        });
    }

    @Override
    public void pauseOutput() {
        outputPaused = true; // the reader sees it before its next read (on a loop: then it clears the key's interest)
    }

    @Override
    public void resumeOutput() {
        outputPaused = false;
        ReadLoop l = loop;
        if (l == null) {
            synchronized (pauseLock) {
                pauseLock.notifyAll();
            }
        } else if (l.inLoop()) {
            interestChanged(l);
        } else {
            l.execute(() -> interestChanged(l));
        }
    }

    /**
     * On {@code l}: the interest changed (paused, resumed, input waiting). Follows the reading if it moved on; a
     * loop that has no key yet gets the first callback at once from its registration, and sets the interest then.
     */
    private void interestChanged(ReadLoop l) {
        ReadLoop now = loop;
        if (!open.get()) return;
        if (now != l) {
            if (now != null) now.execute(() -> interestChanged(now));
        } else if (key != null) {
            updateInterest(key);
        }
    }

    // ------------------------------------------------------------------ decoding

    /** Decodes what {@link #buf} holds (write mode) and keeps the rest; true when the connection is over. */
    private boolean consume() throws IOException {
        buf.flip();
        boolean over = dispatchAll(buf);
        buf.compact();
        int need = pendingFrameSize(buf);
        if (need > buf.capacity()) { // one frame larger than the buffer (up to 1 MiB)
            ByteBuffer bigger = ByteBuffer.allocate(need); // rare: not worth direct memory that only a GC frees
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        } else if (need <= READ_BYTES && buf.capacity() > READ_BYTES && buf.position() <= READ_BYTES) {
            ByteBuffer smaller = ByteBuffer.allocateDirect(READ_BYTES);
            buf.flip();
            smaller.put(buf);
            buf = smaller;
        }
        return over;
    }

    private static final int READ_BYTES = 128 * 1024;

    /** Size of the (incomplete) frame at the start of a buffer in write mode, 0 when its header is incomplete. */
    private static int pendingFrameSize(ByteBuffer b) {
        return b.position() >= Frames.HEADER ? Frames.HEADER + b.getInt(1) : 0;
    }

    /**
     * Dispatches every complete frame in {@code b} (read mode), leaving a partial frame in place; consecutive stdout
     * frames become one {@link AttachListener#onOutput} call. Returns true when the connection is over.
     */
    private boolean dispatchAll(ByteBuffer b) throws IOException {
        while (b.remaining() >= Frames.HEADER) {
            int at = b.position();
            byte type = b.get(at);
            int len = b.getInt(at + 1);
            if (len < 0 || len > Frames.MAX_PAYLOAD) {
                throw new IOException("monitor sent a frame of " + len + " bytes");
            }
            if (b.remaining() < Frames.HEADER + len) break;
            if (type == Frames.STDOUT) {
                // the run of complete stdout frames that starts here
                int total = 0;
                int end = at;
                while (b.limit() - end >= Frames.HEADER && b.get(end) == Frames.STDOUT) {
                    int l = b.getInt(end + 1);
                    if (l < 0 || l > Frames.MAX_PAYLOAD || b.limit() - end < Frames.HEADER + l) break;
                    total += l;
                    end += Frames.HEADER + l;
                }
                byte[] out = new byte[total];
                int o = 0;
                for (int p = at; p < end; ) {
                    int l = b.getInt(p + 1);
                    b.get(p + Frames.HEADER, out, o, l);
                    o += l;
                    p += Frames.HEADER + l;
                }
                b.position(end);
                listener.onOutput(StreamKind.STDOUT, out);
                continue;
            }
            byte[] payload = new byte[len];
            b.get(at + Frames.HEADER, payload);
            b.position(at + Frames.HEADER + len);
            if (dispatch(type, payload)) return true;
        }
        return false;
    }

    /** Returns true when the connection is over. */
    private boolean dispatch(byte type, byte[] p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(p);
        switch (type) {
            case Frames.STDOUT -> listener.onOutput(StreamKind.STDOUT, p);
            case Frames.STDERR -> listener.onOutput(StreamKind.STDERR, p);
            case Frames.LIVE -> listener.onLive();
            case Frames.EXIT -> {
                int code = b.getInt(), signal = b.getInt();
                boolean oom = b.get() != 0;
                long finished = b.getLong();
                exitSeen = true;
                listener.onExit(new ExitStatus(code, signal, oom, ExitFile.toInstant(finished)));
            }
            case Frames.ERROR -> throw new IOException("monitor: " + new String(p, StandardCharsets.UTF_8));
            default -> { } // HELLO and future types
        }
        return false;
    }

    private void finish(Throwable error) {
        open.set(false);
        closeChannel();
        if (closedReported.compareAndSet(false, true)) {
            listener.onClosed(exitSeen ? null : error);
        }
    }

    boolean exitSeen() {
        return exitSeen;
    }

    private void send(byte type, byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Frames.HEADER + payload.length);
        b.put(type).putInt(payload.length).put(payload).flip();
        ReadLoop l = loop;
        synchronized (this) {
            if (l == null) { // blocking: waits while the monitor does not read (a thread of its own reads the output)
                while (b.hasRemaining()) channel.write(b);
                return;
            }
            if (pendingOut.isEmpty()) {
                channel.write(b);
                if (!b.hasRemaining()) return;
            }
            pendingOut.add(b);
            pendingOutBytes += b.remaining();
        }
        if (l.inLoop()) {
            interestChanged(l);
        } else {
            l.execute(() -> interestChanged(l));
        }
    }

    private void sendOrFail(byte type, byte[] payload, String what) {
        if (!open.get()) {
            throw new EngineException(EngineException.Reason.CONFLICT, "not_attached",
                    "cannot " + what + ": the process has ended or the attachment was closed; attach again");
        }
        try {
            send(type, payload);
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.CONFLICT, "not_attached",
                    "cannot " + what + ": the monitor connection is gone (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void write(byte[] bytes) {
        synchronized (this) { // all or nothing: a paste is not cut off where the backlog ends
            if (loop != null && pendingOutBytes + bytes.length > MAX_PENDING_INPUT) {
                throw new EngineException(EngineException.Reason.CONFLICT, "input_backlog",
                        "cannot write input: " + (pendingOutBytes >> 10) + " KiB of earlier input are still waiting for the"
                                + " program to read them; wait until it reads its input (or interrupt it) and send again");
            }
        }
        for (int off = 0; off < bytes.length; off += 65536) {
            int n = Math.min(65536, bytes.length - off);
            byte[] chunk = new byte[n];
            System.arraycopy(bytes, off, chunk, 0, n);
            sendOrFail(Frames.STDIN, chunk, "write input");
        }
    }

    @Override
    public void closeStdin() {
        sendOrFail(Frames.CLOSE_STDIN, new byte[0], "close stdin");
    }

    @Override
    public void resize(int cols, int rows) {
        TerminalSize size = new TerminalSize(cols, rows);
        sendOrFail(Frames.RESIZE, ByteBuffer.allocate(4).putShort((short) size.cols()).putShort((short) size.rows()).array(),
                "resize");
    }

    @Override
    public void signal(int signal) {
        if (signal < 1 || signal > 64) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "bad_signal",
                    "signal " + signal + " is not a valid signal number (1..64)");
        }
        sendOrFail(Frames.SIGNAL, ByteBuffer.allocate(4).putInt(signal).array(), "send a signal");
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            closeChannel();
            // on a thread of its own the reader wakes up closed and reports it; a loop no longer calls back for a
            // closed channel, so it is told (later, never from inside this call); this also makes its selector run
            ReadLoop l = loop;
            if (l != null) {
                try {
                    l.execute(() -> finish(null));
                } catch (RejectedExecutionException e) { // the loop has shut down (the server is stopping)
                    finish(null);
                }
            }
        }
    }

    /**
     * Shut down first: on a loop, the channel's descriptor is only released when the loop's selector next runs, and
     * the monitor should see the client gone now.
     */
    private void closeChannel() {
        try {
            channel.shutdownInput();
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // not connected any more
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }
}
