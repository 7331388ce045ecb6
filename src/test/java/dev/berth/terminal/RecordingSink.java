package dev.berth.terminal;

import dev.berth.terminal.vt.VtEmulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Test client: completes sends asynchronously (like a socket) unless stalled, checks that output arrives in
 * sequence, and renders everything it receives in its own emulator, as a browser's xterm.js would.
 */
final class RecordingSink implements ClientSink {
    static final int SCROLLBACK = 200;
    private final ExecutorService completer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sink-completer");
        t.setDaemon(true);
        return t;
    });
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final List<Map<String, Object>> controls = new ArrayList<>();
    private final List<Runnable> stalled = new ArrayList<>();
    VtEmulator screen = new VtEmulator(80, 24, SCROLLBACK);
    long nextSeq = -1;
    int snapshots;
    boolean stall;
    boolean closed;
    String closeReason;
    String sequenceError;

    /** Sends of a chunk as the hub offered it to every client, and of frames made for this client alone. */
    int sharedSends, ownFrames;

    @Override
    public synchronized void sendOutput(long seq, byte[] bytes, int offset, int length, Runnable done) {
        ownFrames++;
        receive(seq, bytes, offset, length, done);
    }

    @Override
    public synchronized void sendOutput(SharedOutput out, Runnable done) {
        sharedSends++;
        receive(out.seq(), out.bytes(), 0, out.bytes().length, done);
    }

    private void receive(long seq, byte[] bytes, int offset, int length, Runnable done) {
        if (nextSeq >= 0 && seq != nextSeq && sequenceError == null) {
            sequenceError = "expected output at " + nextSeq + " but got " + seq;
        }
        nextSeq = seq + length;
        output.write(bytes, offset, length);
        screen.write(bytes, offset, length);
        complete(done);
    }

    @Override
    public synchronized void sendSnapshot(long seq, int cols, int rows, byte[] repaint, Runnable done) {
        snapshots++;
        nextSeq = seq;
        screen = new VtEmulator(cols, rows, SCROLLBACK);
        screen.write(repaint);
        complete(done);
    }

    @Override
    public synchronized void sendControl(Map<String, Object> message, Runnable done) {
        controls.add(message);
        if ("size".equals(message.get("type")) || "state".equals(message.get("type"))) {
            screen.resize((Integer) message.get("cols"), (Integer) message.get("rows"));
        }
        complete(done);
    }

    /** Each send completes this long after it was made (a slow but moving browser); 0 = at once. */
    volatile long delayMillis;

    private void complete(Runnable done) {
        if (stall) {
            stalled.add(done);
            return;
        }
        long delay = delayMillis;
        completer.execute(delay == 0 ? done : () -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.run();
        });
    }

    /** Stops completing sends, like a browser that stopped reading. */
    synchronized void stall() {
        stall = true;
    }

    /** Reads again: completes what was held. */
    void resume() {
        List<Runnable> held;
        synchronized (this) {
            stall = false;
            held = new ArrayList<>(stalled);
            stalled.clear();
        }
        held.forEach(completer::execute);
    }

    @Override
    public synchronized void close(int code, String reason) {
        closed = true;
        closeReason = code + " " + reason;
    }

    synchronized String text() {
        return output.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] bytes() {
        return output.toByteArray();
    }

    synchronized List<Map<String, Object>> controls(String type) {
        return controls.stream().filter(m -> type.equals(m.get("type"))).toList();
    }

    synchronized String screenDump() {
        return screen.stateDump();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
