package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection to a monitor's attach socket, with a daemon reader thread that decodes frames and calls
 * the listener in order.
 */
final class MonitorConnection implements Attachment {
    private final SocketChannel channel;
    private final AttachListener listener;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private volatile boolean exitSeen;

    private MonitorConnection(SocketChannel channel, AttachListener listener) {
        this.channel = channel;
        this.listener = listener;
    }

    /**
     * Connects, says hello with {@code flags} ({@link Frames#HELLO_SCROLLBACK}, {@link Frames#HELLO_PACED},
     * {@link Frames#HELLO_NO_OUTPUT}) and starts reading. Throws IOException when the monitor is gone.
     */
    static MonitorConnection open(Path socket, AttachListener listener, int flags, String name)
            throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        MonitorConnection c = new MonitorConnection(ch, listener);
        c.send(Frames.HELLO, new byte[] {Frames.VERSION, (byte) flags});
        Thread t = new Thread(c::readLoop, "berth-attach-" + name);
        t.setDaemon(true);
        t.start();
        return c;
    }

    private void readLoop() {
        Throwable error = null;
        // reads of up to 128 KiB; the output frames found in one read are handed over as one chunk. Direct: a read
        // into a heap buffer goes through a temporary direct one, a copy more of everything the program prints
        ByteBuffer buf = ByteBuffer.allocateDirect(READ_BYTES);
        try {
            boolean over = false;
            while (!over) {
                if (channel.read(buf) < 0) {
                    if (buf.position() > 0) throw new EOFException("monitor closed mid-frame");
                    break;
                }
                buf.flip();
                over = dispatchAll(buf);
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
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a dead socket
        }
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
        synchronized (this) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
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
            try {
                channel.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
