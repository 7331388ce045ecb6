package dev.berth.terminal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection to a terminal: who it is, its role and window size, and its bounded outgoing queue.
 *
 * <p>Delivery: the hub offers every output chunk and control message; at most one send is outstanding; small
 * queued chunks are coalesced into frames, large ones sent as the frame all clients share. When the queue would
 * exceed its bound the client is dropped to "resync": the queue is discarded and, as soon as its outstanding send
 * completes, it gets a fresh snapshot and continues live.
 * So a stalled client holds at most one frame plus its queue bound, and never slows the reader or the others.
 */
public final class TerminalClient {
    private record Item(long seq, byte[] data, SharedOutput shared, Map<String, Object> control) {
        int size() {
            return data != null ? data.length : 64;
        }
    }

    private final TerminalHub hub;
    private final String id;
    private final String user;
    private final String session;
    private final ClientSink sink;
    private final int queueLimit;
    private final int maxFrame;
    /** Output chunks smaller than this are coalesced into one frame with the small chunks queued after them. */
    static final int COALESCE_BELOW = 16 * 1024;

    volatile TerminalRole role;
    volatile int cols, rows;
    volatile long lastInputNanos;
    volatile long lastErrorNanos;
    final long joinedOrder;

    // guarded by this
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean resync;
    private boolean closed;
    private long nextSeq; // first output byte this client still needs
    private int drainedCloseCode; // with drainedCloseReason: closeWhenDrained was called
    private String drainedCloseReason;
    private long resyncs;
    private long lastProgressNanos = System.nanoTime(); // when a send last completed (or the client joined)

    TerminalClient(TerminalHub hub, String id, String user, String session, TerminalRole role, int cols, int rows,
                   ClientSink sink, TerminalSettings settings, long joinedOrder) {
        this.hub = hub;
        this.id = id;
        this.user = user;
        this.session = session;
        this.role = role;
        this.cols = cols;
        this.rows = rows;
        this.sink = sink;
        this.queueLimit = settings.clientQueueBytes();
        this.maxFrame = settings.maxFrameBytes();
        this.joinedOrder = joinedOrder;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    /** The login session this connection belongs to (may be null). */
    public String session() {
        return session;
    }

    public TerminalRole role() {
        return role;
    }

    public TerminalHub hub() {
        return hub;
    }

    /** How many times this client was dropped to resync because it fell too far behind. */
    public synchronized long resyncs() {
        return resyncs;
    }

    /** Bytes waiting for this client (bounded by the queue limit). */
    public synchronized long queuedBytes() {
        return queuedBytes;
    }

    Map<String, Object> describe(boolean typing) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("user", user);
        m.put("role", role.wire());
        m.put("cols", cols);
        m.put("rows", rows);
        m.put("typing", typing);
        return m;
    }

    /** Starts delivery at {@code seq} (called by the hub under its lock, before any offer). */
    synchronized void startAt(long seq) {
        nextSeq = seq;
    }

    /** Called by the hub (under its lock) for each output chunk, in stream order. */
    void offerOutput(SharedOutput out) {
        long seq = out.seq();
        byte[] data = out.bytes();
        boolean pump;
        synchronized (this) {
            if (closed || resync) return;
            long end = seq + data.length;
            if (end <= nextSeq) return;
            if (queuedBytes + data.length > queueLimit) {
                dropToResync();
                pump = !sending;
                if (pump) sending = true;
            } else {
                queue.add(new Item(seq, data, out, null));
                queuedBytes += data.length;
                pump = !sending;
                if (pump) {
                    sending = true;
                    lastProgressNanos = System.nanoTime(); // an idle client starts moving now, not at its last send
                }
            }
        }
        if (pump) pump();
    }

    /** Called by the hub for control messages; they keep their place relative to output. */
    void offerControl(Map<String, Object> message) {
        boolean pump;
        synchronized (this) {
            if (closed || resync) return; // the repaint after a resync carries the current state
            queue.add(new Item(-1, null, null, message));
            queuedBytes += 64;
            if (queuedBytes > queueLimit) {
                dropToResync();
            }
            pump = !sending;
            if (pump) sending = true;
        }
        if (pump) pump();
    }

    /** Makes the next delivery a repaint from the screen state (a fresh join, or a reconnect too far behind). */
    void requestRepaint() {
        boolean pump;
        synchronized (this) {
            if (closed) return;
            queue.clear();
            queuedBytes = 0;
            resync = true;
            pump = !sending;
            if (pump) sending = true;
        }
        if (pump) pump();
    }

    private void dropToResync() {
        queue.clear();
        queuedBytes = 0;
        resync = true;
        resyncs++;
    }

    /** Sends the next item; the caller has set {@code sending}. Never called with the client's lock held. */
    private void pump() {
        Item first;
        byte[] frame = null;
        SharedOutput shared = null;
        long frameSeq = 0;
        boolean closeNow = false;
        synchronized (this) {
            if (closed) {
                sending = false;
                return;
            }
            if (resync && drainedCloseReason != null) {
                // too far behind to catch up before the end: no repaint, just close
                first = null;
                closeNow = true;
            } else if (resync) {
                // sending stays true: the hub repaints us, then calls sent()
                first = null;
            } else {
                first = queue.poll();
                if (first == null) {
                    sending = false;
                    if (drainedCloseReason == null) return;
                    closeNow = true; // everything queued (the last output, the exit message) went out first
                }
            }
            if (closeNow) {
                closed = true;
                sending = false;
                queue.clear();
                queuedBytes = 0;
            } else if (first != null) {
                queuedBytes -= first.size();
                if (first.data != null) {
                    // small chunks (typing, prompts) are coalesced, trimming what this client already has; a large
                    // chunk goes as the frame every client gets: copying it into a frame of its own, for each client
                    // that is behind, was most of the event loops' work with 50 readers
                    long seq = Math.max(first.seq, nextSeq);
                    int skip = (int) (seq - first.seq);
                    int total = first.data.length - skip;
                    int count = 0;
                    if (first.data.length < COALESCE_BELOW) {
                        for (Item it : queue) {
                            if (it.data == null || it.data.length >= COALESCE_BELOW || total + it.data.length > maxFrame) break;
                            total += it.data.length;
                            count++;
                        }
                    }
                    if (count == 0 && skip == 0) {
                        shared = first.shared; // as it is: the frame the other clients get too
                    } else {
                        frame = new byte[total];
                        System.arraycopy(first.data, skip, frame, 0, first.data.length - skip);
                        int pos = first.data.length - skip;
                        for (int i = 0; i < count; i++) {
                            Item it = queue.poll();
                            queuedBytes -= it.size();
                            System.arraycopy(it.data, 0, frame, pos, it.data.length);
                            pos += it.data.length;
                        }
                    }
                    frameSeq = seq;
                    nextSeq = seq + total;
                }
            }
        }
        if (closeNow) {
            sink.close(drainedCloseCode, drainedCloseReason);
        } else if (first == null) {
            hub.repaint(this);
        } else if (shared != null) {
            sink.sendOutput(shared, this::sent);
        } else if (frame != null) {
            sink.sendOutput(frameSeq, frame, 0, frame.length, this::sent);
        } else {
            sink.sendControl(first.control, this::sent);
        }
    }

    /** The outstanding send completed: send the next item, if any. */
    void sent() {
        synchronized (this) {
            if (closed) return;
            lastProgressNanos = System.nanoTime();
        }
        hub.clientProgressed();
        pump();
    }

    /**
     * For the hub's pacing: the output queued for this client, or -1 when it does not count (closed, waiting for a
     * repaint, or stalled: a send outstanding and none completed for {@code stallNanos}).
     */
    synchronized long pacingBacklog(long now, long stallNanos) {
        if (closed || resync) return -1;
        if (sending && now - lastProgressNanos > stallNanos) return -1;
        return queuedBytes;
    }

    /**
     * Called by the hub under its lock to replace everything queued with a repaint at {@code seq}. Returns false
     * if the client is closed.
     */
    synchronized boolean beginRepaint(long seq) {
        if (closed) return false;
        queue.clear();
        queuedBytes = 0;
        resync = false;
        nextSeq = seq;
        sending = true;
        return true;
    }

    /** Whether a send is outstanding (the hub must not start a repaint then). */
    synchronized boolean idle() {
        return !sending;
    }

    void sendSnapshot(long seq, int cols, int rows, byte[] repaint) {
        sink.sendSnapshot(seq, cols, rows, repaint, this::sent);
    }

    /**
     * Closes once everything queued has been sent (the program's last output and its exit message), or after
     * {@code grace} for a client that stopped reading. A client that fell behind into a repaint is closed at once.
     */
    void closeWhenDrained(int code, String reason, java.time.Duration grace) {
        boolean now;
        boolean pump = false;
        synchronized (this) {
            if (closed || drainedCloseReason != null) return;
            drainedCloseCode = code;
            drainedCloseReason = reason;
            now = !sending && queue.isEmpty();
            if (!now && !sending) {
                sending = true;
                pump = true;
            }
        }
        if (now) {
            close(code, reason);
            return;
        }
        java.util.concurrent.CompletableFuture.delayedExecutor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .execute(() -> close(code, reason));
        if (pump) pump();
    }

    void close(int code, String reason) {
        synchronized (this) {
            if (closed) return;
            closed = true;
            queue.clear();
            queuedBytes = 0;
        }
        sink.close(code, reason);
    }

    synchronized boolean isClosed() {
        return closed;
    }
}
