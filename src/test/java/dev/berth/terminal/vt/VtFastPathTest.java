package dev.berth.terminal.vt;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The ASCII fast path gives exactly the state of the general path, on random streams cut into random chunks. */
class VtFastPathTest {
    private static final String[] PIECES = {
            "\r", "\n", "\r\n", "\b", "\t", "\u0007", "\u001b[K", "\u001b[2J", "\u001b[H", "\u001b[5;3H", "\u001b[A", "\u001b[3C",
            "\u001b[1;31m", "\u001b[0m", "\u001b[7m", "\u001b[4h", "\u001b[4l", "\u001b[?7l", "\u001b[?7h", "\u001b(0", "\u001b(B",
            "\u000e", "\u000f", "\u001b)0", "\u001b[3b", "\u001b[2@", "\u001b[2P", "\u001b[L", "\u001b[M", "\u001b[2;5r", "\u001b[r",
            "\u001b7", "\u001b8", "\u001bM", "\u001b[?1049h", "\u001b[?1049l", "\u001b]0;title\u0007", "\u001b[6n", "\u007f",
            "中", "文字", "é", "e\u0301", "\uD83D\uDE00", "\u001b[20G", "\u001b[?6h", "\u001b[?6l", "\u001bc"};

    @Test
    void fastAndGeneralPathsAgree() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            int cols = 1 + rnd.nextInt(rnd.nextBoolean() ? 12 : 100), rows = 1 + rnd.nextInt(8);
            VtEmulator fast = new VtEmulator(cols, rows, 20);
            VtEmulator slow = new VtEmulator(cols, rows, 20);
            slow.fastPath = false;
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            for (int k = 0; k < 200; k++) {
                if (rnd.nextInt(3) == 0) {
                    s.writeBytes(PIECES[rnd.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
                } else {
                    int n = rnd.nextInt(rnd.nextBoolean() ? 8 : 3 * cols + 2);
                    for (int i = 0; i < n; i++) s.write(0x20 + rnd.nextInt(0x5F));
                }
            }
            byte[] bytes = s.toByteArray();
            for (int off = 0; off < bytes.length; ) { // chunks cut anywhere, also inside UTF-8 and escapes
                int n = Math.min(bytes.length - off, 1 + rnd.nextInt(64));
                fast.write(bytes, off, n);
                slow.write(bytes, off, n);
                off += n;
                assertThat(fast.stateDump()).as("round %d at %d", round, off).isEqualTo(slow.stateDump());
            }
            assertThat(fast.snapshot()).isEqualTo(slow.snapshot());
        }
    }
}
