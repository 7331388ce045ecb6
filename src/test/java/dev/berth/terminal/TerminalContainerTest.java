package dev.berth.terminal;

import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.ReadLoop;
import dev.berth.engine.runtime.ReadLoops;
import dev.berth.engine.runtime.SelectorLoop;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.RuntimeSpec;
import dev.berth.engine.testing.TestRootfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.berth.terminal.RecordingSink.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub over real containers (berth-monitor owns the PTY): fan-out, late joiners of vi and top, resize, reading on
 * event loops.
 */
class TerminalContainerTest {
    private final NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
    private static final TerminalSettings SETTINGS = new TerminalSettings(256 << 10, 256 << 10, 16 << 10, RecordingSink.SCROLLBACK);
    private final TerminalRegistry registry = new TerminalRegistry(SETTINGS);
    private Path dir;
    private RunningProcess container;

    @BeforeEach
    void startContainer() throws Exception {
        dir = Files.createTempDirectory(Path.of("/tmp"), "btc");
        TestRootfs.Layers layers = TestRootfs.layers(dir);
        Path lower = layers.lower();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 70; i++) text.append("row ").append(i).append(" caf\u00e9 \u6f22\u5b57 ").append("=".repeat(i % 40)).append('\n');
        Files.createDirectories(lower.resolve("srv"));
        Files.writeString(lower.resolve("srv/notes.txt"), text);
        String id = "term" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path state = Files.createDirectories(dir.resolve("state"));
        container = runtime.start(RuntimeSpec.builder(id, state).rootfs(layers.lowerDirs(), layers.upper(), layers.work())
                .args("/bin/sh").env(List.of("TERM=xterm-256color", "PATH=/bin")).tty(true).openStdin(true).build());
    }

    @AfterEach
    void stopContainer() throws Exception {
        registry.closeAll("test over");
        if (container != null) {
            container.kill(9);
            container.exit().get(30, TimeUnit.SECONDS);
        }
        // tolerates files the exiting monitor removes meanwhile (its attach.sock)
        dev.berth.engine.image.ContentStore.deleteTree(dir);
    }

    private static void type(TerminalHub hub, TerminalClient c, String s) {
        assertThat(hub.input(c, s.getBytes(StandardCharsets.UTF_8), false)).isEqualTo(TerminalHub.InputResult.ACCEPTED);
    }

    private static void settle(TerminalHub hub, RecordingSink... sinks) throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(200);
            long seq = hub.sequence();
            if (seq == last) break;
            last = seq;
        }
        for (RecordingSink s : sinks) await("client to catch up", () -> {
            synchronized (s) {
                return s.nextSeq == hub.sequence();
            }
        });
    }

    @Test
    void clientsOfAContainerTerminalSeeTheSameBytesAndScreens() throws Exception {
        TerminalHub hub = registry.open(container.id(), "alice", new AttachedProcessSource(container, true), 80, 24);
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        TerminalClient owner = hub.join("alice", null, TerminalRole.OWNER, 90, 28, 0, a);
        hub.join("bob", null, TerminalRole.VIEWER, 80, 24, 0, b);
        type(hub, owner, "stty size; i=0; while [ $i -lt 2000 ]; do echo n $i; i=$((i+1)); done; echo OK$((2*21))\r");
        await("loop", () -> a.text().contains("OK42"));
        assertThat(a.text()).contains("28 90");
        settle(hub, a, b);
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(b.screenDump()).isEqualTo(hub.screenDump());
        assertThat(hub.input(hub.clients().get(1), "exit\r".getBytes(), false)).isEqualTo(TerminalHub.InputResult.READ_ONLY);
    }

    @Test
    void rawModeProgramsGetEveryKeystrokeAtOnce() throws Exception {
        TerminalHub hub = registry.open(container.id(), "alice", new AttachedProcessSource(container, true), 80, 24);
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", null, TerminalRole.OWNER, 80, 24, 0, a);
        type(hub, owner, "stty raw -echo; exec cat\r");
        settle(hub, a);
        long before = a.bytes().length;
        for (int i = 0; i < 3000; i++) {
            int want = (int) before + i + 1;
            type(hub, owner, String.valueOf((char) ('a' + i % 26)));
            long t0 = System.nanoTime();
            while (a.bytes().length < want) {
                Thread.onSpinWait();
                if (System.nanoTime() - t0 > 5_000_000_000L) throw new AssertionError("no echo of key " + i);
            }
        }
        assertThat(a.text()).contains("xyzabcdefghijklmn");
    }

    @Test
    void lateJoinersOfViAndTopInAContainerSeeTheDriversScreen() throws Exception {
        TerminalHub hub = registry.open(container.id(), "alice", new AttachedProcessSource(container, true), 80, 24);
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", null, TerminalRole.OWNER, 100, 30, 0, a);
        type(hub, owner, "vi /srv/notes.txt\r");
        await("vi", () -> hub.screenText().contains("row 20"));
        type(hub, owner, "15Gdd");
        settle(hub, a);
        type(hub, owner, "otyped in a container");
        settle(hub, a);
        type(hub, owner, "\u001b");
        settle(hub, a);
        RecordingSink late = new RecordingSink();
        hub.join("bob", null, TerminalRole.VIEWER, 80, 24, -1, late);
        settle(hub, a, late);
        assertThat(hub.screenDump()).contains("alt=true").contains("typed in a container");
        assertThat(late.snapshots).isEqualTo(1);
        assertThat(late.screenDump()).isEqualTo(hub.screenDump());
        assertThat(a.screenDump()).isEqualTo(hub.screenDump());

        type(hub, owner, ":q!\r");
        settle(hub, a, late);
        type(hub, owner, "top -d 30\r");
        await("top", () -> hub.screenText().contains("PID"));
        settle(hub, a, late);
        RecordingSink later = new RecordingSink();
        hub.join("carol", null, TerminalRole.VIEWER, 80, 24, -1, later);
        settle(hub, a, late, later);
        assertThat(later.screenDump()).isEqualTo(hub.screenDump());
        assertThat(late.screenDump()).isEqualTo(hub.screenDump());
        type(hub, owner, "q");
    }

    /**
     * On event loops (as in the server, where they are the WebSockets' loops), the terminal's output is read on the
     * loop of whoever typed last, so the echo needs no other thread; every byte still arrives once, in order.
     */
    @Test
    void onEventLoopsTheOutputIsReadOnTheLoopOfWhoeverTyped() throws Exception {
        try (SelectorLoop a = new SelectorLoop("loop-a"); SelectorLoop b = new SelectorLoop("loop-b")) {
            ReadLoops loops = new ReadLoops() {
                @Override
                public ReadLoop next() {
                    return a;
                }

                @Override
                public Optional<ReadLoop> current() {
                    return a.inLoop() ? Optional.of(a) : b.inLoop() ? Optional.of(b) : Optional.empty();
                }
            };
            TerminalRegistry onLoops = new TerminalRegistry(SETTINGS, loops);
            ThreadNotingSource source = new ThreadNotingSource(new AttachedProcessSource(container, true));
            try {
                TerminalHub hub = onLoops.open(container.id(), "alice", source, 80, 24);
                RecordingSink sink = new RecordingSink();
                TerminalClient owner = hub.join("alice", null, TerminalRole.OWNER, 80, 24, 0, sink);
                for (SelectorLoop typist : List.of(b, a, b)) {
                    String marker = "from-" + typist.thread().getName() + "-" + System.nanoTime();
                    // the line first: typing moves the reading (two hand-offs between loops) while its echo comes back
                    typist.execute(() -> type(hub, owner, "echo " + marker + "-$((6*7))"));
                    await("the line's echo", () -> source.text().contains(marker + "-$((6*7))"));
                    typist.execute(() -> type(hub, owner, "\r"));
                    await("the output of what was typed on " + typist.thread().getName(), () -> source.text().contains(marker + "-42"));
                    assertThat(source.threadThatDelivered(marker + "-42")).isSameAs(typist.thread());
                }
                settle(hub, sink);
                assertThat(sink.bytes()).isEqualTo(source.bytes()); // all of it, once, in order
                assertThat(a.failure).isNull();
                assertThat(b.failure).isNull();
            } finally {
                onLoops.closeAll("test over");
            }
        }
    }

    /** Passes everything through; notes which thread delivered each output chunk. */
    private static final class ThreadNotingSource extends ForwardingSource {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final List<Object[]> chunks = new java.util.ArrayList<>(); // {Thread, String}

        ThreadNotingSource(TerminalSource source) {
            super(source);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        synchronized Thread threadThatDelivered(String text) {
            for (Object[] c : chunks) if (((String) c[1]).contains(text)) return (Thread) c[0];
            return null;
        }

        private synchronized void note(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            chunks.add(new Object[] {Thread.currentThread(), new String(b, off, len, StandardCharsets.UTF_8)});
        }

        @Override
        public void start(Output output) throws java.io.IOException {
            source.start(new Output() {
                @Override
                public void data(byte[] b, int offset, int length) {
                    note(b, offset, length);
                    output.data(b, offset, length);
                }

                @Override
                public void handOver(byte[] b) {
                    note(b, 0, b.length);
                    output.handOver(b);
                }

                @Override
                public void exited(int status) {
                    output.exited(status);
                }
            });
        }
    }
}
