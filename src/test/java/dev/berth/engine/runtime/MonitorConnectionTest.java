package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader's framing: frames split anywhere across reads, stdout runs coalesced, frames larger than a read; on a
 * thread of its own and on event loops, moved between loops; pausing; closing.
 */
class MonitorConnectionTest {

    @Test
    void framesSplitAnywhereArriveWholeInOrderAndStdoutRunsAreCoalesced(@TempDir Path dir) throws Exception {
        Random rnd = new Random(6);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
        frame(wire, 'H', new byte[] {1, 1, 0, 0, 0, 7});
        frame(wire, 'L', new byte[0]);
        for (int i = 0; i < 3000; i++) {
            byte[] p = new byte[i % 500 == 0 ? (1 << 20) : rnd.nextInt(5000)]; // some 1 MiB frames, most small
            rnd.nextBytes(p);
            frame(wire, 'o', p);
            expectedOut.write(p);
        }
        frame(wire, 'e', "oops".getBytes());
        frame(wire, 'o', "tail".getBytes());
        expectedOut.write("tail".getBytes());
        frame(wire, 'x', ByteBuffer.allocate(17).putInt(3).putInt(0).put((byte) 0).putLong(1_000_000_000L).array());
        byte[] bytes = wire.toByteArray();

        Path sock = dir.resolve("attach.sock");
        try (ServerSocketChannel server = listen(sock)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> events = new ArrayList<>();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            MonitorConnection c = MonitorConnection.open(sock, new AttachListener() {
                @Override
                public synchronized void onOutput(StreamKind stream, byte[] b) {
                    if (stream == StreamKind.STDOUT) out.write(b, 0, b.length); else events.add("err " + new String(b));
                }

                @Override
                public synchronized void onLive() {
                    events.add("live");
                }

                @Override
                public synchronized void onExit(ExitStatus status) {
                    events.add("exit " + status.code());
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            }, Frames.HELLO_PACED, "test");
            try (SocketChannel peer = server.accept()) {
                assertThat(readHello(peer)).containsExactly(new byte[] {'H', 0, 0, 0, 2, 1, Frames.HELLO_PACED});
                for (int off = 0; off < bytes.length; ) { // writes of random sizes: headers and payloads split anywhere
                    int n = Math.min(bytes.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 300_000));
                    ByteBuffer w = ByteBuffer.wrap(bytes, off, n);
                    while (w.hasRemaining()) peer.write(w);
                    off += n;
                }
            }
            assertThat(closed.get(30, TimeUnit.SECONDS)).isNull();
            assertThat(c.exitSeen()).isTrue();
            assertThat(out.toByteArray()).isEqualTo(expectedOut.toByteArray());
            assertThat(events).containsExactly("live", "err oops", "exit 3");
        }
    }

    /**
     * On event loops, moved from loop to loop at random (by the listener itself and by another thread, hundreds of
     * times), the connection delivers exactly what the threaded reader does: every byte once, in order, one call at
     * a time, each on the loop that reads at that moment.
     */
    @Test
    void readOnLoopsAndMovedAtRandomEveryByteArrivesOnceInOrder(@TempDir Path dir) throws Exception {
        Random rnd = new Random(7);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
        frame(wire, 'H', new byte[] {1, 1, 0, 0, 0, 7});
        frame(wire, 'L', new byte[0]);
        for (int i = 0; i < 4000; i++) {
            byte[] p = new byte[i % 700 == 0 ? (1 << 20) : rnd.nextInt(3000)];
            rnd.nextBytes(p);
            frame(wire, 'o', p);
            expectedOut.write(p);
        }
        frame(wire, 'x', ByteBuffer.allocate(17).putInt(5).putInt(0).put((byte) 0).putLong(1_000_000_000L).array());
        byte[] bytes = wire.toByteArray();

        Path sock = dir.resolve("attach.sock");
        SelectorLoop[] loops = {new SelectorLoop("loop-a"), new SelectorLoop("loop-b"), new SelectorLoop("loop-c")};
        Set<Thread> loopThreads = Set.of(loops[0].thread(), loops[1].thread(), loops[2].thread());
        try (ServerSocketChannel server = listen(sock)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger inCall = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger switches = new AtomicInteger(); // calls on another loop than the call before
            AtomicReference<Thread> lastThread = new AtomicReference<>();
            AtomicReference<MonitorConnection> conn = new AtomicReference<>();
            Random moves = new Random(8);
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            AttachListener listener = new AttachListener() {
                private void enter() {
                    if (inCall.incrementAndGet() != 1) events.add("overlapping calls");
                    if (!loopThreads.contains(Thread.currentThread())) events.add("call on " + Thread.currentThread().getName());
                    calls.incrementAndGet();
                    Thread before = lastThread.getAndSet(Thread.currentThread());
                    if (before != null && before != Thread.currentThread()) switches.incrementAndGet();
                }

                @Override
                public void onOutput(StreamKind stream, byte[] b) {
                    enter();
                    out.write(b, 0, b.length);
                    MonitorConnection c = conn.get();
                    if (c != null && calls.get() % 7 == 0) c.readOn(loops[moves.nextInt(loops.length)]);
                    inCall.decrementAndGet();
                }

                @Override
                public void onLive() {
                    enter();
                    events.add("live");
                    inCall.decrementAndGet();
                }

                @Override
                public void onExit(ExitStatus status) {
                    enter();
                    events.add("exit " + status.code());
                    inCall.decrementAndGet();
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            };
            MonitorConnection c = MonitorConnection.open(sock, listener, Frames.HELLO_PACED, "test", loops[0]);
            conn.set(c);
            Thread mover = new Thread(() -> {
                Random r = new Random(9);
                while (!closed.isDone()) {
                    c.readOn(loops[r.nextInt(loops.length)]);
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            mover.start();
            try (SocketChannel peer = server.accept()) {
                readHello(peer);
                for (int off = 0; off < bytes.length; ) { // many writes, a little apart: many reads, moves in between
                    int n = Math.min(bytes.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 16 : 65_536));
                    ByteBuffer w = ByteBuffer.wrap(bytes, off, n);
                    while (w.hasRemaining()) peer.write(w);
                    off += n;
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                }
            }
            assertThat(closed.get(30, TimeUnit.SECONDS)).isNull();
            mover.join();
            assertThat(out.toByteArray()).isEqualTo(expectedOut.toByteArray());
            assertThat(events).containsExactly("live", "exit 5");
            assertThat(switches.get()).as("calls that came from another loop than the one before").isGreaterThan(20);
            for (SelectorLoop l : loops) assertThat(l.failure).isNull();
        } finally {
            for (SelectorLoop l : loops) l.close();
        }
    }

    /**
     * Paused, the connection stops reading (on a thread of its own and on a loop alike): the monitor's writes
     * fill the socket and block, as a paced monitor then stops reading the program; resumed, the rest arrives.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pausedItStopsReadingAndResumedItReadsTheRest(boolean onLoop, @TempDir Path dir) throws Exception {
        Path sock = dir.resolve("attach.sock");
        try (SelectorLoop loop = new SelectorLoop("loop");
             ServerSocketChannel server = listen(sock)) {
            AtomicLong received = new AtomicLong();
            CompletableFuture<Throwable> closed = new CompletableFuture<>();
            MonitorConnection c = MonitorConnection.open(sock, new AttachListener() {
                @Override
                public void onOutput(StreamKind stream, byte[] b) {
                    received.addAndGet(b.length);
                }

                @Override
                public void onClosed(Throwable error) {
                    closed.complete(error);
                }
            }, Frames.HELLO_PACED, "test", onLoop ? loop : null);
            c.pauseOutput();
            try (SocketChannel peer = server.accept()) {
                readHello(peer);
                peer.configureBlocking(false);
                byte[] payload = new byte[16 * 1024];
                ByteArrayOutputStream f = new ByteArrayOutputStream();
                frame(f, 'o', payload);
                long written = 0;
                ByteBuffer w = ByteBuffer.wrap(f.toByteArray());
                long quietSince = System.nanoTime();
                // until the socket stays full (or far more than any socket holds: then the reader never stopped)
                while (System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300) && written < (64 << 20)) {
                    int n = peer.write(w);
                    if (n > 0) {
                        quietSince = System.nanoTime();
                        if (!w.hasRemaining()) {
                            written += payload.length;
                            w.rewind();
                        }
                    } else {
                        Thread.sleep(5);
                    }
                }
                long whilePaused = received.get();
                // at most the one read under way when the pause came (up to 128 KiB)
                assertThat(whilePaused).isLessThanOrEqualTo(128 * 1024);
                assertThat(written).isGreaterThan(whilePaused + 64 * 1024); // the rest waits in the socket
                Thread.sleep(200);
                assertThat(received.get()).isEqualTo(whilePaused);

                c.resumeOutput();
                while (w.hasRemaining() && w.position() > 0) { // finish the frame under way
                    if (peer.write(w) == 0) Thread.sleep(1);
                }
                if (w.position() > 0) written += payload.length;
                long total = written;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (received.get() < total && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(received.get()).isEqualTo(total);
            }
            assertThat(closed.get(10, TimeUnit.SECONDS)).isNull(); // the peer closed at a frame boundary
            assertThat(loop.failure).isNull();
        }
    }

    /** Closed by its user, a connection read by a loop reports it once, and the monitor sees the client gone at once. */
    @Test
    void closedOnALoopItReportsOnceAndThePeerSeesTheEndAtOnce(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("attach.sock");
        try (SelectorLoop loop = new SelectorLoop("loop");
             ServerSocketChannel server = listen(sock)) {
            AtomicInteger reports = new AtomicInteger();
            CompletableFuture<Thread> closedOn = new CompletableFuture<>();
            MonitorConnection c = MonitorConnection.open(sock, new AttachListener() {
                @Override
                public void onOutput(StreamKind stream, byte[] b) {
                }

                @Override
                public void onClosed(Throwable error) {
                    reports.incrementAndGet();
                    closedOn.complete(Thread.currentThread());
                }
            }, Frames.HELLO_PACED, "test", loop);
            try (SocketChannel peer = server.accept()) {
                readHello(peer);
                c.close();
                c.close();
                assertThat(closedOn.get(5, TimeUnit.SECONDS)).isSameAs(loop.thread());
                assertThat(peer.read(ByteBuffer.allocate(16))).isEqualTo(-1);
                Thread.sleep(200);
                assertThat(reports.get()).isEqualTo(1);
                assertThat(c.isOpen()).isFalse();
            }
            assertThat(loop.failure).isNull();
        }
    }

    /**
     * On a loop, input the monitor does not read yet waits in order without blocking the writer (another thread or
     * the loop itself), so the loop goes on reading the output: a program blocked on its output reads no input, and
     * a waiting write on the loop would hold both up for good. Past the bound a write fails whole.
     */
    @Test
    void onALoopInputWaitsInOrderWithoutBlockingAndTheOutputStillFlows(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("attach.sock");
        try (SelectorLoop loop = new SelectorLoop("loop");
             ServerSocketChannel server = listen(sock)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MonitorConnection c = MonitorConnection.open(sock, new AttachListener() {
                @Override
                public synchronized void onOutput(StreamKind stream, byte[] b) {
                    out.write(b, 0, b.length);
                }
            }, Frames.HELLO_PACED, "test", loop);
            try (SocketChannel peer = server.accept()) {
                readHello(peer);
                byte[] paste = new byte[3 << 20]; // far more than the socket holds; the peer reads none of it yet
                new Random(10).nextBytes(paste);
                CompletableFuture<Void> pasted = CompletableFuture.runAsync(() -> c.write(paste));
                pasted.get(10, TimeUnit.SECONDS);
                CompletableFuture<Void> typed = new CompletableFuture<>();
                loop.execute(() -> {
                    c.write("k".getBytes());
                    c.resize(100, 40);
                    typed.complete(null);
                });
                typed.get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> c.write(new byte[(int) MonitorConnection.MAX_PENDING_INPUT]))
                        .isInstanceOf(dev.berth.engine.EngineException.class).hasMessageContaining("still waiting");

                ByteArrayOutputStream f = new ByteArrayOutputStream();
                frame(f, 'o', "still flowing".getBytes());
                peer.write(ByteBuffer.wrap(f.toByteArray()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (System.nanoTime() < deadline && !new String(snapshot(out)).equals("still flowing")) Thread.sleep(5);
                assertThat(new String(snapshot(out))).isEqualTo("still flowing");

                // the monitor reads at last: every input frame, in order, nothing of the refused write
                ByteArrayOutputStream stdin = new ByteArrayOutputStream();
                List<String> others = new ArrayList<>();
                ByteBuffer header = ByteBuffer.allocate(5);
                while (!others.contains("r")) {
                    header.clear();
                    while (header.hasRemaining()) if (peer.read(header) < 0) throw new java.io.EOFException();
                    ByteBuffer payload = ByteBuffer.allocate(header.getInt(1));
                    while (payload.hasRemaining()) if (peer.read(payload) < 0) throw new java.io.EOFException();
                    if (header.get(0) == Frames.STDIN) stdin.write(payload.array(), 0, payload.capacity());
                    else others.add(String.valueOf((char) header.get(0)));
                }
                byte[] expected = java.util.Arrays.copyOf(paste, paste.length + 1);
                expected[paste.length] = 'k';
                assertThat(stdin.toByteArray()).isEqualTo(expected);
                assertThat(others).containsExactly("r");
            }
            assertThat(loop.failure).isNull();
        }
    }

    private static byte[] snapshot(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    /** Reads the client's hello frame (7 bytes), as the monitor does first. */
    /** A fake monitor's attach socket at {@code sock}, listening. */
    private static ServerSocketChannel listen(Path sock) throws java.io.IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(sock));
        } catch (java.io.IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static byte[] readHello(SocketChannel peer) throws java.io.IOException {
        ByteBuffer hello = ByteBuffer.allocate(7);
        while (hello.hasRemaining()) {
            if (peer.read(hello) < 0) throw new java.io.EOFException("the client closed before its hello");
        }
        return hello.array();
    }

    private static void frame(ByteArrayOutputStream w, char type, byte[] p) {
        w.write(type);
        w.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
        w.writeBytes(p);
    }
}
