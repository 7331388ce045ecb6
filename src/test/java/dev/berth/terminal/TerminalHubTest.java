package dev.berth.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.berth.terminal.RecordingSink.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The hub over a real program on a real PTY (busybox sh / vi / top). */
class TerminalHubTest {
    private final TerminalRegistry registry = new TerminalRegistry(new TerminalSettings(64 << 10, 256 << 10, 16 << 10, RecordingSink.SCROLLBACK));

    @AfterEach
    void closeAll() {
        registry.closeAll("test over");
    }

    private TerminalHub shell(String id) throws Exception {
        return registry.open(id, "alice", new PtyProcess("busybox", "sh"), 80, 24);
    }

    private static void type(TerminalHub hub, TerminalClient c, String s) {
        assertThat(hub.input(c, s.getBytes(StandardCharsets.UTF_8), false)).isEqualTo(TerminalHub.InputResult.ACCEPTED);
    }

    /** Waits until the program is quiet and every given sink has everything the hub produced. */
    private static void settle(TerminalHub hub, RecordingSink... sinks) throws InterruptedException {
        long last = -1;
        while (true) {
            Thread.sleep(150);
            long seq = hub.sequence();
            if (seq == last) break;
            last = seq;
        }
        for (RecordingSink s : sinks) await("client to catch up to " + last, () -> {
            synchronized (s) {
                return s.nextSeq == hub.sequence();
            }
        });
    }

    @Test
    void everyClientReceivesTheSameBytesInTheSameOrder() throws Exception {
        TerminalHub hub = shell("same-bytes");
        RecordingSink a = new RecordingSink(), b = new RecordingSink(), c = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        hub.join("carol", "s3", TerminalRole.VIEWER, 100, 40, 0, c);
        type(hub, owner, "i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done; echo DONE-$((6*7))\r");
        await("the loop to finish", () -> a.text().contains("DONE-42"));
        settle(hub, a, b, c);
        assertThat(a.sequenceError).isNull();
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(c.bytes()).isEqualTo(a.bytes());
        assertThat(a.bytes().length).isGreaterThan(30_000);
        assertThat(b.screenDump()).isEqualTo(hub.screenDump());
    }

    @Test
    void viewerInputIsRejectedAndNeverReachesThePty() throws Exception {
        TerminalHub hub = shell("viewer-input");
        RecordingSink a = new RecordingSink(), v = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        TerminalClient viewer = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, v);
        assertThat(hub.input(viewer, "echo VIEWER$((1+1))\r".getBytes(), false)).isEqualTo(TerminalHub.InputResult.READ_ONLY);
        // an xterm.js auto-answer (device attributes) from a viewer is rejected as well
        assertThat(hub.input(viewer, "\u001b[?1;2c".getBytes(), false)).isEqualTo(TerminalHub.InputResult.READ_ONLY);
        type(hub, owner, "echo OWNER$((1+1))\r");
        await("owner's command", () -> a.text().contains("OWNER2"));
        settle(hub, a, v);
        assertThat(a.text()).doesNotContain("VIEWER");
        assertThat(v.controls("error")).first().satisfies(e -> assertThat(e.get("code")).isEqualTo("read-only"));
    }

    @Test
    void sharedModeLetsEveryDriverTypeAndOnlyTheActiveDriverAnswersQueries() throws Exception {
        TerminalHub hub = shell("shared");
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        TerminalClient bob = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        hub.setRole(owner, "bob", TerminalRole.DRIVER);
        assertThat(bob.role()).isEqualTo(TerminalRole.DRIVER);
        type(hub, owner, "echo A$((1+1))\r");
        type(hub, bob, "echo B$((2+2))\r");
        await("both commands", () -> a.text().contains("A2") && a.text().contains("B4"));
        // bob typed last: alice's automatic answers are dropped, bob's pass
        assertThat(hub.input(owner, "\u001b[?1;2c".getBytes(), false)).isEqualTo(TerminalHub.InputResult.IGNORED_RESPONSE);
        assertThat(hub.input(bob, "\u001b[?1;2c".getBytes(), false)).isEqualTo(TerminalHub.InputResult.ACCEPTED);
    }

    @Test
    void singleDriverModeHandsControlOverAndTakesItBack() throws Exception {
        TerminalHub hub = shell("single");
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        TerminalClient bob = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        hub.setRole(owner, "bob", TerminalRole.DRIVER);
        hub.setKeyboardMode(owner, KeyboardMode.SINGLE);
        assertThat(hub.controller()).contains("alice");
        assertThat(hub.input(bob, "x".getBytes(), false)).isEqualTo(TerminalHub.InputResult.NOT_IN_CONTROL);

        hub.requestControl(bob);
        await("the owner to be asked", () -> !a.controls("control-request").isEmpty());
        assertThat(a.controls("control-request").get(0).get("user")).isEqualTo("bob");
        hub.grantControl(owner, "bob");
        assertThat(hub.controller()).contains("bob");
        assertThat(hub.input(owner, "y".getBytes(), false)).isEqualTo(TerminalHub.InputResult.NOT_IN_CONTROL);
        type(hub, bob, "echo BOB$((3*3))\r");
        await("bob's command", () -> a.text().contains("BOB9"));

        hub.takeBack(owner);
        assertThat(hub.controller()).contains("alice");
        assertThat(hub.input(bob, "z".getBytes(), false)).isEqualTo(TerminalHub.InputResult.NOT_IN_CONTROL);
        type(hub, owner, "echo ALICE$((5*5))\r");
        await("alice's command", () -> a.text().contains("ALICE25"));
        await("everyone to learn the controller", () -> b.controls("control").stream().anyMatch(m -> "alice".equals(m.get("controller"))
                && b.controls("control").indexOf(m) > 0));
        // a viewer can never be granted control
        RecordingSink c = new RecordingSink();
        hub.join("carol", "s3", TerminalRole.VIEWER, 80, 24, 0, c);
        hub.grantControl(owner, "carol");
        assertThat(hub.controller()).contains("alice");
    }

    /**
     * Types a command and waits for its answer, typing it again if the shell swallowed it: a shell that is
     * still starting may flush type-ahead when it sets up its line editor. What is asserted is the answer.
     */
    private static void typeUntil(TerminalHub hub, TerminalClient client, String input,
            java.util.function.BooleanSupplier answered) throws Exception {
        for (int attempt = 0; attempt < 4; attempt++) {
            type(hub, client, input);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                if (answered.getAsBoolean()) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no answer to " + input.strip() + " after 4 attempts");
    }

    @Test
    void ptyFollowsTheActiveDriverAndViewersGetItsSize() throws Exception {
        TerminalHub hub = shell("resize");
        RecordingSink a = new RecordingSink(), b = new RecordingSink(), v = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 100, 30, 0, a);
        TerminalClient viewer = hub.join("vic", "s3", TerminalRole.VIEWER, 60, 20, 0, v);
        assertThat(hub.cols()).isEqualTo(100);
        hub.resize(viewer, 50, 10); // a viewer never resizes the PTY
        assertThat(hub.cols()).isEqualTo(100);
        typeUntil(hub, owner, "stty size\r", () -> a.text().contains("30 100"));

        TerminalClient bob = hub.join("bob", "s2", TerminalRole.VIEWER, 120, 40, 0, b);
        hub.setRole(owner, "bob", TerminalRole.DRIVER);
        assertThat(hub.cols()).isEqualTo(100); // joining does not steal the size
        typeUntil(hub, bob, "stty size\r", () -> a.text().contains("40 120")); // typing makes bob the active driver
        assertThat(hub.rows()).isEqualTo(40);
        await("viewer told the size", () -> v.controls("size").stream().anyMatch(m -> m.get("cols").equals(120) && m.get("rows").equals(40)));

        // smallest-client policy
        hub.setResizePolicy(owner, ResizePolicy.SMALLEST);
        assertThat(hub.cols()).isEqualTo(50);
        assertThat(hub.rows()).isEqualTo(10);
        hub.resize(bob, 40, 12);
        assertThat(hub.cols()).isEqualTo(40);
        assertThat(hub.rows()).isEqualTo(10);
        typeUntil(hub, owner, "stty size\r", () -> a.text().contains("10 40"));
        // only the owner changes the policy
        hub.setResizePolicy(bob, ResizePolicy.DRIVER);
        assertThat(hub.resizePolicy()).isEqualTo(ResizePolicy.SMALLEST);
    }

    @Test
    void lateJoinerOfViGetsTheDriversScreen() throws Exception {
        Path dir = Files.createTempDirectory("berth-vi");
        Path file = dir.resolve("notes.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) text.append("line ").append(i).append(" \u00e9t\u00e9 \u4e2d\u6587 ").append("x".repeat(i % 30)).append('\n');
        Files.writeString(file, text);
        TerminalHub hub = registry.open("vi", "alice", new PtyProcess("busybox", "sh"), 80, 24);
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 90, 25, 0, a);
        type(hub, owner, "ls /; busybox vi " + file + "\r");
        await("vi", () -> hub.screenText().contains("line 10"));
        type(hub, owner, "10Gdd");
        type(hub, owner, "Onew \u00fcber line\u001b");
        settle(hub, a);
        RecordingSink late = new RecordingSink();
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, -1, late);
        settle(hub, a, late);
        assertThat(hub.screenDump()).contains("alt=true").contains("new über line");
        assertThat(late.snapshots).isEqualTo(1);
        assertThat(late.screenDump()).isEqualTo(hub.screenDump());
        assertThat(a.screenDump()).isEqualTo(hub.screenDump());
        type(hub, owner, ":q!\r");
        settle(hub, a, late);
        assertThat(late.screenDump()).isEqualTo(a.screenDump());
        assertThat(hub.screenDump()).contains("alt=false");
        Files.delete(file);
        Files.delete(dir);
    }

    @Test
    void lateJoinerOfTopGetsTheDriversScreen() throws Exception {
        TerminalHub hub = shell("top");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 100, 30, 0, a);
        type(hub, owner, "busybox top -d 60\r");
        await("top", () -> hub.screenText().contains("PID"));
        settle(hub, a);
        RecordingSink late = new RecordingSink();
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, -1, late);
        settle(hub, a, late);
        assertThat(late.screenDump()).isEqualTo(hub.screenDump());
        assertThat(a.screenDump()).isEqualTo(hub.screenDump());
        type(hub, owner, "q");
    }

    @Test
    void reconnectResumesWithoutLossOrDuplication() throws Exception {
        TerminalHub hub = shell("resume");
        RecordingSink steady = new RecordingSink(), flaky = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, steady);
        TerminalClient first = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, flaky);
        type(hub, owner, "echo one $((1+1))\r");
        await("first output", () -> flaky.text().contains("one 2"));
        settle(hub, steady, flaky);
        long resumeAt = flaky.nextSeq;
        byte[] before = flaky.bytes();
        hub.leave(first); // the connection drops
        type(hub, owner, "for i in 1 2 3 4 5 6 7 8 9; do echo while away $i; done\r");
        await("output while away", () -> steady.text().contains("while away 9\r\n"));
        RecordingSink again = new RecordingSink();
        again.nextSeq = resumeAt;
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, resumeAt, again);
        type(hub, owner, "echo back $((2+3))\r");
        await("live output after resume", () -> again.text().contains("back 5"));
        settle(hub, steady, again);
        assertThat(again.snapshots).isZero();
        assertThat(again.sequenceError).isNull();
        byte[] joined = new byte[before.length + again.bytes().length];
        System.arraycopy(before, 0, joined, 0, before.length);
        System.arraycopy(again.bytes(), 0, joined, before.length, again.bytes().length);
        assertThat(joined).isEqualTo(steady.bytes());

        // too far behind (outside the 64 KiB window): a repaint, then live
        type(hub, owner, "i=0; while [ $i -lt 8000 ]; do echo filler $i; i=$((i+1)); done\r");
        await("filler", () -> steady.text().contains("filler 7999"));
        settle(hub, steady);
        RecordingSink stale = new RecordingSink();
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, resumeAt, stale);
        settle(hub, steady, stale);
        assertThat(stale.snapshots).isEqualTo(1);
        assertThat(stale.screenDump()).isEqualTo(steady.screenDump());
    }

    /** A source whose output the test hands over, chunk by chunk; it notes the hub's pauses (and goes on). */
    private static final class ScriptedSource implements TerminalSource {
        volatile Output output;
        volatile boolean paused;
        final java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void pauseOutput() {
            paused = true;
            pauses.incrementAndGet();
        }

        @Override
        public void resumeOutput() {
            paused = false;
        }

        @Override
        public void start(Output o) {
            output = o;
        }

        @Override
        public void write(byte[] bytes) {
        }

        @Override
        public void resize(int cols, int rows) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theHubHoldsItsSourceBackWithoutBlockingTheReaderAndLetsGoWhenTheClientMovesOrStalls() throws Exception {
        // the source may be read by a server's event loop: the hub must pause it, never make its call wait
        TerminalRegistry defaults = new TerminalRegistry(TerminalSettings.DEFAULTS);
        try {
            ScriptedSource src = new ScriptedSource();
            TerminalHub hub = defaults.open("hold", "alice", src, 80, 24);
            RecordingSink a = new RecordingSink();
            TerminalClient c = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
            await("the join's messages to be sent", c::idle);
            byte[] chunk = "x".repeat(32 << 10).getBytes(StandardCharsets.US_ASCII);
            a.stall();
            for (int i = 0; i < 10 && !src.paused; i++) src.output.handOver(chunk.clone());
            // the call returned with the source paused: the hub held it back instead of waiting in the call
            assertThat(src.paused).as("paused once the only (moving) client is 256 KiB behind").isTrue();
            assertThat(src.pauses.get()).isEqualTo(1);
            a.resume();
            await("the client's progress to resume the source", () -> !src.paused);

            // stalled for good: the hold ends by itself after PACE_MAX_NANOS, and the stalled client no longer counts
            a.stall();
            for (int i = 0; i < 20 && !src.paused; i++) src.output.handOver(chunk.clone());
            assertThat(src.paused).isTrue();
            await("the hold to time out", () -> !src.paused);
            int pauses = src.pauses.get();
            for (int i = 0; i < 10; i++) src.output.handOver(chunk.clone());
            assertThat(src.pauses.get()).as("a stalled client does not hold the source again").isEqualTo(pauses);
            assertThat(src.paused).isFalse();
        } finally {
            defaults.closeAll("test over");
        }
    }

    @Test
    void aClientThatIsBehindGetsLargeChunksAsTheSharedFrameAndSmallOnesCoalesced() throws Exception {
        TerminalRegistry defaults = new TerminalRegistry(TerminalSettings.DEFAULTS); // frames of up to 256 KiB
        try {
            ScriptedSource src = new ScriptedSource();
            TerminalHub hub = defaults.open("frames", "alice", src, 80, 24);
            RecordingSink a = new RecordingSink();
            TerminalClient c = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
            await("the join's messages to be sent", c::idle);
            a.stall();
            src.output.handOver("x".getBytes(StandardCharsets.US_ASCII)); // the send in flight while the rest queues
            for (int i = 0; i < 3; i++) src.output.handOver(("y" + i).repeat(10_000).getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 5; i++) src.output.handOver(("z" + i).repeat(50).getBytes(StandardCharsets.US_ASCII));
            int shared, own;
            synchronized (a) {
                shared = a.sharedSends;
                own = a.ownFrames;
            }
            a.resume();
            settle(hub, a);
            synchronized (a) {
                assertThat(a.sharedSends - shared).as("each 20 KB chunk as the frame all clients share").isEqualTo(3);
                assertThat(a.ownFrames - own).as("the five small chunks in one frame").isEqualTo(1);
                assertThat(a.sequenceError).isNull();
            }
            assertThat(a.text()).endsWith("x" + "y0".repeat(10_000) + "y1".repeat(10_000) + "y2".repeat(10_000)
                    + "z0".repeat(50) + "z1".repeat(50) + "z2".repeat(50) + "z3".repeat(50) + "z4".repeat(50));
        } finally {
            defaults.closeAll("test over");
        }
    }

    @Test
    void aStalledClientIsDroppedToResyncWithoutCostingTheOthers() throws Exception {
        TerminalHub hub = shell("stall");
        RecordingSink a = new RecordingSink(), b = new RecordingSink(), s = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        TerminalClient stuck = hub.join("sam", "s3", TerminalRole.VIEWER, 80, 24, 0, s);
        settle(hub, a, b, s);
        s.stall();
        type(hub, owner, "i=0; while [ $i -lt 30000 ]; do echo output line $i; i=$((i+1)); done; echo FIN$((1+1))\r");
        await("the others to get everything", () -> a.text().contains("FIN2") && b.text().contains("FIN2"));
        settle(hub, a, b);
        assertThat(b.bytes()).isEqualTo(a.bytes());
        assertThat(a.bytes().length).isGreaterThan(512 << 10);
        assertThat(stuck.resyncs()).isPositive();
        assertThat(stuck.queuedBytes()).isLessThanOrEqualTo(256 << 10);
        assertThat(a.snapshots).isZero();
        assertThat(b.snapshots).isZero();
        // it catches up: one repaint and it shows what the others show
        s.resume();
        settle(hub, a, b, s);
        assertThat(s.snapshots).isPositive();
        assertThat(s.screenDump()).isEqualTo(a.screenDump());
    }

    @Test
    void aSlowButMovingClientPacesTheProgramInsteadOfFallingIntoRepaints() throws Exception {
        // pacing follows the fastest client: here the only one, slow but completing its sends
        TerminalHub hub = shell("paced");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        settle(hub, a);
        int joinRepaints = a.snapshots;
        a.delayMillis = 10; // at most one frame (16 KiB here) per 10 ms: far slower than the program writes
        type(hub, owner, "yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 2000000; echo FIN$((1+1))\r");
        await("everything", () -> a.text().contains("FIN2"));
        settle(hub, a);
        assertThat(a.bytes().length).isGreaterThan(2_000_000);
        assertThat(owner.resyncs()).isZero();
        assertThat(a.snapshots).isEqualTo(joinRepaints);
        assertThat(a.sequenceError).isNull();
    }

    @Test
    void pacingFollowsMostClientsSoASlowMajorityIsNotRepaintedOverAndOver() throws Exception {
        // two slow viewers and a fast owner: the program runs at the majority's pace and nobody falls behind
        // (paced to the fastest client, the two slow ones overflowed their queues and were repainted)
        // a 1 MiB queue: pacing starts at 256 KiB behind, so the slower of two equally slow viewers has room for the
        // few per cent by which one sink thread runs behind another over 6 MB. With the class's 256 KiB queue
        // (128 KiB of room) that drift alone overflowed it now and then, on a busy machine.
        TerminalRegistry roomy = new TerminalRegistry(new TerminalSettings(64 << 10, 1 << 20, 16 << 10, RecordingSink.SCROLLBACK));
        TerminalHub hub = roomy.open("paced-majority", "alice", new PtyProcess("busybox", "sh"), 80, 24);
        RecordingSink fast = new RecordingSink(), slow1 = new RecordingSink(), slow2 = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, fast);
        TerminalClient v1 = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, slow1);
        TerminalClient v2 = hub.join("carol", "s3", TerminalRole.VIEWER, 80, 24, 0, slow2);
        settle(hub, fast, slow1, slow2);
        int[] joins = {fast.snapshots, slow1.snapshots, slow2.snapshots};
        fast.delayMillis = 0;
        slow1.delayMillis = 40;
        slow2.delayMillis = 40;
        try {
            // paced to the fastest client, the slow ones (one chunk per 40 ms) fall megabytes behind and overflow
            type(hub, owner, "yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 6000000; echo FIN$((1+1))\r");
            await("everything", () -> slow1.text().contains("FIN2") && slow2.text().contains("FIN2") && fast.text().contains("FIN2"));
            settle(hub, fast, slow1, slow2);
            assertThat(v1.resyncs() + v2.resyncs() + owner.resyncs()).isZero();
            assertThat(new int[]{fast.snapshots, slow1.snapshots, slow2.snapshots}).isEqualTo(joins);
            assertThat(slow1.bytes()).isEqualTo(fast.bytes());
            assertThat(slow2.bytes()).isEqualTo(fast.bytes());
            assertThat(fast.bytes().length).isGreaterThan(6_000_000);
        } finally {
            roomy.closeAll("test over");
        }
    }

    @Test
    void oneSlowViewerDoesNotSlowTheDriver() throws Exception {
        // a minority (one of two) never paces the program: the slow viewer falls behind and is repainted
        TerminalHub hub = shell("paced-minority");
        RecordingSink fast = new RecordingSink(), slow = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, fast);
        TerminalClient viewer = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, slow);
        settle(hub, fast, slow);
        int driverJoin = fast.snapshots;
        slow.delayMillis = 50;
        type(hub, owner, "yes 0123456789012345678901234567890123456789012345678901234567890123456789 | head -c 3000000; echo FIN$((1+1))\r");
        await("driver", () -> fast.text().contains("FIN2"));
        await("viewer", () -> slow.screenDump().contains("FIN2"));
        // had the viewer paced the program it would have received every byte, as the slow majority above does
        assertThat(viewer.resyncs()).isPositive();
        assertThat(owner.resyncs()).isZero();
        assertThat(fast.snapshots).isEqualTo(driverJoin);
    }

    @Test
    void clipboardWritesNeverReachClients() throws Exception {
        TerminalHub hub = shell("osc52");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        type(hub, owner, "printf 'a\\033]52;c;c2VjcmV0\\007b\\033]2;title\\007c\\n'\r");
        await("printf", () -> a.text().contains("ab\u001b]2;title\u0007c"));
        assertThat(a.text()).doesNotContain("\u001b]52");
    }

    @Test
    void pastesAreBracketedWhenTheProgramAsksAndCannotBreakOut() {
        byte[] pasted = TerminalHub.bracketPaste("ls\u001b[201~rm -rf /\r".getBytes(), true);
        assertThat(new String(pasted)).isEqualTo("\u001b[200~lsrm -rf /\r\u001b[201~");
        assertThat(new String(TerminalHub.bracketPaste("ls\r".getBytes(), false))).isEqualTo("ls\r");
    }

    @Test
    void recordingIsValidAsciicastV2WithAttributedInput(@TempDir Path tmp) throws Exception {
        TerminalHub hub = shell("rec");
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        TerminalClient bob = hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        hub.setRole(owner, "bob", TerminalRole.DRIVER);
        Path file = tmp.resolve("rec.cast");
        hub.startRecording(new AsciicastRecorder(file, "test", Clock.systemUTC()));
        type(hub, owner, "echo from alice \u00e9\r");
        await("alice", () -> a.text().contains("from alice"));
        type(hub, bob, "echo from bob\r");
        await("bob", () -> a.text().contains("from bob\r\n"));
        hub.resize(bob, 70, 20);
        hub.stopRecording();

        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file);
        JsonNode header = json.readTree(lines.get(0));
        assertThat(header.get("version").asInt()).isEqualTo(2);
        assertThat(header.get("width").asInt()).isEqualTo(80);
        assertThat(header.get("height").asInt()).isEqualTo(24);
        double last = 0;
        StringBuilder out = new StringBuilder();
        String typist = null;
        StringBuilder aliceTyped = new StringBuilder(), bobTyped = new StringBuilder();
        boolean resized = false;
        for (String line : lines.subList(1, lines.size())) {
            JsonNode e = json.readTree(line);
            assertThat(e.isArray()).isTrue();
            assertThat(e.size()).isEqualTo(3);
            assertThat(e.get(0).asDouble()).isGreaterThanOrEqualTo(last);
            last = e.get(0).asDouble();
            String code = e.get(1).asText();
            assertThat(code).isIn("o", "i", "r", "m");
            switch (code) {
                case "o" -> out.append(e.get(2).asText());
                case "m" -> typist = e.get(2).asText();
                case "i" -> (("input: alice".equals(typist)) ? aliceTyped : bobTyped).append(e.get(2).asText());
                case "r" -> resized = e.get(2).asText().equals("70x20");
                default -> { }
            }
        }
        assertThat(out.toString()).contains("from alice \u00e9").contains("from bob");
        assertThat(aliceTyped.toString()).isEqualTo("echo from alice \u00e9\r");
        assertThat(bobTyped.toString()).isEqualTo("echo from bob\r");
        assertThat(resized).isTrue();
    }

    @Test
    void clientsAreToldWhenTheProgramExitsAndTheTerminalCloses() throws Exception {
        TerminalHub hub = shell("exit");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        type(hub, owner, "exit 3\r");
        await("exit", () -> a.closed);
        assertThat(a.controls("exit")).extracting(m -> m.get("status")).containsExactly(3);
        assertThat(registry.find("exit")).isEmpty();
    }

    @Test
    void disconnectClosesAUsersConnections() throws Exception {
        TerminalHub hub = shell("logout");
        RecordingSink a = new RecordingSink(), b = new RecordingSink();
        hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, 0, b);
        assertThat(registry.disconnect(c -> "s2".equals(c.session()), "session ended")).isEqualTo(1);
        assertThat(b.closed).isTrue();
        assertThat(a.closed).isFalse();
        assertThat(hub.clients()).extracting(TerminalClient::user).containsExactly("alice");
        assertThat(b.closeReason).contains("session ended");
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> last(List<Map<String, Object>> l) {
        return l.get(l.size() - 1);
    }

    @Test
    void aClientWithSendsInFlightGetsTheLastOutputAndTheExitMessageBeforeItIsClosed() throws Exception {
        TerminalHub hub = shell("drain-on-exit");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        settle(hub, a);
        a.stall(); // a browser busy with a frame: the program's last output queues up behind it
        type(hub, owner, "echo LAST-$((6*7)); exit 3\r");
        await("the program to exit", hub::hasExited);
        synchronized (a) {
            assertThat(a.closed).as("closed before its queue was sent").isFalse();
        }
        a.resume();
        await("the client to be closed", () -> {
            synchronized (a) {
                return a.closed;
            }
        });
        assertThat(a.text()).contains("LAST-42");
        assertThat(a.controls("exit")).singleElement().satisfies(m -> assertThat(m.get("status")).isEqualTo(3));
        assertThat(a.closeReason).isEqualTo("1000 the program exited with status 3");
        assertThat(a.sequenceError).isNull();
    }

    @Test
    void aClientThatStoppedReadingIsStillClosedAfterTheGraceOnceTheProgramExits() throws Exception {
        TerminalHub hub = shell("stalled-on-exit");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        settle(hub, a);
        a.stall();
        type(hub, owner, "exit 0\r");
        await("the program to exit", hub::hasExited);
        await("the stalled client to be closed after the grace", () -> {
            synchronized (a) {
                return a.closed;
            }
        });
        assertThat(a.closeReason).startsWith("1000 the program exited");
    }

    @Test
    void joinersRepaintedFromOneStateAndNeverFromAStaleOne() throws Exception {
        TerminalHub hub = shell("snapshot-reuse");
        RecordingSink a = new RecordingSink();
        TerminalClient owner = hub.join("alice", "s1", TerminalRole.OWNER, 80, 24, 0, a);
        type(hub, owner, "echo FIRST-$((2*3))\r");
        await("first output", () -> a.text().contains("FIRST-6"));
        settle(hub, a);
        // two joiners at one screen state: the second is repainted from the first one's snapshot
        RecordingSink b = new RecordingSink(), c = new RecordingSink();
        hub.join("bob", "s2", TerminalRole.VIEWER, 80, 24, -1, b);
        hub.join("carol", "s3", TerminalRole.VIEWER, 80, 24, -1, c);
        settle(hub, a, b, c);
        assertThat(b.screenDump()).isEqualTo(hub.screenDump()).contains("FIRST-6");
        assertThat(c.screenDump()).isEqualTo(hub.screenDump());
        // output changes the screen: the next joiner sees it
        type(hub, owner, "echo SECOND-$((3*3))\r");
        await("second output", () -> a.text().contains("SECOND-9"));
        settle(hub, a, b, c);
        RecordingSink d = new RecordingSink();
        hub.join("dave", "s4", TerminalRole.VIEWER, 80, 24, -1, d);
        settle(hub, a, b, c, d);
        assertThat(d.screenDump()).isEqualTo(hub.screenDump()).contains("SECOND-9");
        // so does a resize, with no output at all
        hub.resize(owner, 60, 20);
        await("the resize", () -> hub.cols() == 60);
        RecordingSink e = new RecordingSink();
        hub.join("erin", "s5", TerminalRole.VIEWER, 60, 20, -1, e);
        settle(hub, a, e);
        assertThat(e.screenDump()).isEqualTo(hub.screenDump());
        assertThat(e.screen.cols()).isEqualTo(60);
    }
}
