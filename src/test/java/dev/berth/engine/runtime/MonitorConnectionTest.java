package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader's framing: frames split anywhere across reads, stdout runs coalesced, frames larger than a read. */
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
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
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
                ByteBuffer hello = ByteBuffer.allocate(7);
                while (hello.hasRemaining()) peer.read(hello);
                assertThat(hello.array()).containsExactly(new byte[] {'H', 0, 0, 0, 2, 1, Frames.HELLO_PACED});
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

    private static void frame(ByteArrayOutputStream w, char type, byte[] p) {
        w.write(type);
        w.writeBytes(ByteBuffer.allocate(4).putInt(p.length).array());
        w.writeBytes(p);
    }
}
