package dev.berth.engine.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The monitor's fan-out under a stalled client, and the network namespace modes. */
class RelayTest {
    private RuntimeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuntimeFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void aClientThatNeverReadsIsDroppedAndNeitherThePtyNorOtherClientsStall() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "read go; head -c 8000000 /dev/zero | tr '\\0' x; echo; echo end")
                .tty(true).openStdin(true).build());
        // a stalled viewer: says hello, then never reads
        SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(p.stateDir().resolve(Monitors.SOCKET_FILE)));
        stalled.write(ByteBuffer.wrap(new byte[] {'H', 0, 0, 0, 2, 1, 0}));
        AtomicLong bytes = new AtomicLong();
        StringBuilder tail = new StringBuilder();
        RuntimeFixture.Collector fast = new RuntimeFixture.Collector() {
            @Override
            public synchronized void onOutput(StreamKind stream, byte[] b) {
                bytes.addAndGet(b.length);
                tail.append(new String(b, 0, b.length, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (tail.length() > 32) tail.delete(0, tail.length() - 32);
                if (tail.indexOf("end") >= 0) super.onOutput(stream, "end".getBytes());
            }
        };
        Attachment a = p.attach(fast, false);
        a.write("go\n".getBytes());
        fast.await(o -> o.contains("end"));
        assertThat(p.exit().get(30, TimeUnit.SECONDS).code()).isZero();
        assertThat(bytes.get()).isGreaterThanOrEqualTo(8_000_000);
        // the stalled client was cut off: reading what it got ends well before the 8 MB that were produced
        ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        long got = 0;
        stalled.configureBlocking(true);
        int n;
        while ((n = stalled.read(sink)) > 0) {
            got += n;
            sink.clear();
        }
        stalled.close();
        assertThat(got).isLessThan(6_000_000); // at most the 4 MiB queue plus socket buffers
    }

    @Test
    void aPasteTheProgramDoesNotReadNeverStopsTheMonitor() throws Exception {
        // the program does not read its input until told (SIGUSR1): the PTY's input queue fills after a few KiB, and
        // a blocking write of the rest stopped the monitor (output, other clients, signals) until the program read it
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c",
                "stty raw -echo; trap 'touch /tmp/go' USR1; echo ready; while [ ! -e /tmp/go ]; do sleep 0.1; done; head -c 300000 | wc -c")
                .tty(true).openStdin(true).build());
        RuntimeFixture.Collector c = new RuntimeFixture.Collector();
        Attachment a = p.attach(c, true); // with the output so far: "ready" may come before the attachment
        c.await(o -> o.contains("ready"));
        Thread writer = new Thread(() -> {
            try {
                a.write(new byte[300_000]);
            } catch (RuntimeException e) {
                // the assertions below say what matters
            }
        });
        writer.start();
        writer.join(10_000);
        assertThat(writer.isAlive()).as("the monitor took the whole paste").isFalse();
        // the monitor still serves: a new client is attached and live while the paste waits
        RuntimeFixture.Collector late = new RuntimeFixture.Collector();
        CompletableFuture.runAsync(() -> p.attach(late, false)).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 500 && !late.live; i++) Thread.sleep(20);
        assertThat(late.live).as("a client attached while the paste waits is live").isTrue();
        // and kept the paste: once the program reads, every byte arrives
        p.kill(10);
        assertThat(c.await(o -> o.contains("300000"))).contains("300000");
        assertThat(p.exit().get(30, TimeUnit.SECONDS).code()).isZero();
    }

    @Test
    void stdinClosedAfterAPasteTheProgramHasNotReadYetClosesAfterTheLastByte() throws Exception {
        // pipes: the 64 KiB pipe takes a part, the rest waits in the monitor, and the close comes after all of it
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "sleep 1; wc -c").openStdin(true).build());
        RuntimeFixture.Collector c = new RuntimeFixture.Collector();
        Attachment a = p.attach(c, false);
        a.write(new byte[300_000]);
        a.closeStdin();
        assertThat(c.await(o -> o.trim().matches("\\d+")).trim()).isEqualTo("300000");
        assertThat(p.exit().get(30, TimeUnit.SECONDS).code()).isZero();
    }

    @Test
    void aSlowAttachmentIsPacedInsteadOfDropped() throws Exception {
        // the reader falls more than the monitor's 4 MiB per-client bound behind: it must slow the PTY, not die
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "read go; head -c 12000000 /dev/zero | tr '\\0' x; echo; echo end")
                .tty(true).openStdin(true).build());
        AtomicLong bytes = new AtomicLong();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        StringBuilder tail = new StringBuilder();
        RuntimeFixture.Collector slow = new RuntimeFixture.Collector() {
            @Override
            public void onOutput(StreamKind stream, byte[] b) {
                try {
                    release.await(); // stalls the reader thread (like a busy hub) until the program has had time to write it all
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                bytes.addAndGet(b.length);
                synchronized (tail) {
                    tail.append(new String(b, 0, b.length, java.nio.charset.StandardCharsets.ISO_8859_1));
                    if (tail.length() > 32) tail.delete(0, tail.length() - 32);
                    if (tail.indexOf("end") >= 0) super.onOutput(stream, "end".getBytes());
                }
            }
        };
        Attachment a = p.attach(slow, false);
        a.write("go\n".getBytes());
        Thread.sleep(3000);
        release.countDown();
        slow.await(o -> o.contains("end"));
        assertThat(p.exit().get(30, TimeUnit.SECONDS).code()).isZero();
        assertThat(bytes.get()).isGreaterThanOrEqualTo(12_000_000);
    }

    @Test
    void hostAndJoinedNetworkNamespaces() throws Exception {
        String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        RuntimeFixture.Result host = fx.run(fx.container("/bin/readlink", "/proc/self/ns/net").network(NetworkMode.host()).build());
        assertThat(host.stdout().trim()).isEqualTo(hostNs);

        RunningProcess a = fx.start(fx.container("/bin/sleep", "1000").network(NetworkMode.newNamespace()).build());
        String aNs = Files.readSymbolicLink(Path.of("/proc", Long.toString(a.pid()), "ns", "net")).toString();
        assertThat(aNs).isNotEqualTo(hostNs);
        RuntimeFixture.Result joined = fx.run(fx.container("/bin/sh", "-c", "readlink /proc/self/ns/net; ip link show lo | head -1")
                .network(NetworkMode.join(Path.of("/proc", Long.toString(a.pid()), "ns", "net"))).build());
        assertThat(joined.stdout()).startsWith(aNs + "\n").contains("UP");

        RuntimeFixture.Result none = fx.run(fx.container("/bin/sh", "-c", "ls /sys/class/net").build());
        assertThat(none.stdout().trim()).isEqualTo("lo");
    }
}
