package dev.berth.web.terminal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's Berth reader (bench/terminals) must follow the stream position whatever the sizes of the parts
 * the JDK WebSocket hands it: a message's payload arrives as it is read, so a part may end inside the 9-byte header.
 */
class TerminalBenchmarkReaderTest {
    private static ByteBuffer output(long seq, int length) {
        ByteBuffer b = ByteBuffer.allocate(9 + length).put((byte) 1).putLong(seq);
        for (int i = 0; i < length; i++) b.put((byte) 'x');
        return b.flip();
    }

    private static ByteBuffer snapshot(long seq, byte[] repaint) {
        return ByteBuffer.allocate(13 + repaint.length).put((byte) 2).putLong(seq).putShort((short) 80).putShort((short) 24)
                .put(repaint).flip();
    }

    /** Feeds {@code message} in parts of {@code part} bytes (the last one flagged last). */
    private static void feed(TerminalBenchmark.Reader r, ByteBuffer message, int part) {
        while (message.hasRemaining()) {
            int n = Math.min(part, message.remaining());
            ByteBuffer slice = message.slice(message.position(), n);
            message.position(message.position() + n);
            r.accept(slice, !message.hasRemaining());
        }
    }

    @Test
    void followsThePositionWhenTheHeaderIsSplitAcrossParts() {
        for (int part : new int[]{1, 3, 8, 9, 10, 4096}) {
            TerminalBenchmark.Reader r = new TerminalBenchmark.Reader(true);
            r.target = 1000 + 300;
            feed(r, snapshot(1000, "screen".getBytes()), part);
            assertThat(r.position.get()).as("after the repaint, parts of %d", part).isEqualTo(1000);
            assertThat(r.snapshots).isEqualTo(1);
            feed(r, output(1000, 100), part);
            feed(r, output(1100, 200), part);
            assertThat(r.position.get()).as("parts of %d", part).isEqualTo(1300);
            assertThat(r.bytes.get()).isEqualTo(300);
            assertThat(r.doneAt).as("reached the end, parts of %d", part).isNotZero();
        }
    }

    @Test
    void aRepaintInTheMiddleMovesThePositionWithoutCountingItsBytes() {
        TerminalBenchmark.Reader r = new TerminalBenchmark.Reader(true);
        feed(r, output(0, 50), 7);
        feed(r, snapshot(5000, new byte[300]), 5);
        feed(r, output(5000, 10), 2);
        assertThat(r.position.get()).isEqualTo(5010);
        assertThat(r.bytes.get()).isEqualTo(60);
        assertThat(r.snapshots).isEqualTo(1);
    }
}
