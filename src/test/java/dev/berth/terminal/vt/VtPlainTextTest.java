package dev.berth.terminal.vt;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain text is collected and partly only followed, not drawn (VtEmulator's class comment): the state it gives must
 * be exactly the state of parsing every byte as it arrives, whatever comes between, and whenever it is read.
 */
class VtPlainTextTest {
    /** Plain pieces: collected (colours and line erases among them). */
    private static final String[] PLAIN = {"\r", "\n", "\n", "\n", "\r\n", "\b", "\t", "\u001b[1;31m", "\u001b[0m", "\u001b[m",
            "\u001b[7m", "\u001b[38;5;208m", "\u001b[48:2::10:20:30m", "\u001b[44m", "\u001b[K", "\u001b[1K", "\u001b[2K",
            "\u001b[01;31m\u001b[K", "\u001b[m\u001b[K", "é", "中", "文字", "\uD83D\uDE00", "e\u0301", "\u007f"};
    /** Everything else: parsed at once, after what was collected. */
    private static final String[] OTHER = {"\u001b[?2K", "\u001b[2J", "\u001b[H", "\u001b[5;3H", "\u001b[A", "\u001b[3b", "\u001b[2@",
            "\u001b[4h", "\u001b[4l", "\u001b[?7l", "\u001b[?7h", "\u001b(0", "\u001b(B", "\u001b[2;5r", "\u001b[r", "\u001b7", "\u001b8",
            "\u001bM", "\u001b[?1049h", "\u001b[?1049l", "\u001b]0;title\u0007", "\u0007", "\u001b[20G", "\u001b[?6h", "\u001b[?6l",
            "\u001b[20h", "\u001b[20l", "\u001bc", "\u001b[", "\u00e4".substring(0, 1)};

    @Test
    void collectedTextGivesTheStateOfParsingEveryByteAtOnce() {
        long[] undrawnAndRooms = compareWithParsingAtOnce(new Random(7), false);
        assertThat(undrawnAndRooms[0]).as("bytes only followed, not drawn: the path under test was taken").isGreaterThan(100_000);
    }

    @Test
    void textDroppedToMakeRoomLeavesTheStateOfParsingEveryByteAtOnce() {
        // small collections in small terminals: the collection is full every few lines and room is made
        long[] undrawnAndRooms = compareWithParsingAtOnce(new Random(11), true);
        assertThat(undrawnAndRooms[1]).as("times room was made: the path under test was taken").isGreaterThan(500);
    }

    /** Random streams into a collecting emulator and one that parses at once; returns bytes not drawn and rooms made. */
    private static long[] compareWithParsingAtOnce(Random rnd, boolean smallCollections) {
        long undrawn = 0, roomsMade = 0;
        for (int round = 0; round < 300; round++) {
            int cols = 1 + rnd.nextInt(rnd.nextBoolean() ? 12 : 100), rows = 1 + rnd.nextInt(8);
            int scrollback = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(smallCollections ? 6 : 30);
            VtEmulator collecting = new VtEmulator(cols, rows, scrollback);
            VtEmulator direct = new VtEmulator(cols, rows, scrollback);
            direct.collectPlain = false;
            if (smallCollections) collecting.plainPendingMax = 256 + rnd.nextInt(4096);
            byte[] bytes = stream(rnd, cols, rnd.nextInt(5) == 0 ? 0 : smallCollections ? 400 : 40);
            for (int off = 0; off < bytes.length; ) { // chunks cut anywhere, also inside UTF-8 and escapes
                int n = Math.min(bytes.length - off, 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 2000));
                collecting.write(bytes, off, n);
                direct.write(bytes, off, n);
                off += n;
                switch (rnd.nextInt(smallCollections ? 300 : 40)) {
                    case 0 -> assertThat(collecting.stateDump()).as("round %d at %d", round, off).isEqualTo(direct.stateDump());
                    case 1 -> assertThat(collecting.cursorX() * 1000 + collecting.cursorY()).isEqualTo(direct.cursorX() * 1000 + direct.cursorY());
                    case 2 -> {
                        int c = 1 + rnd.nextInt(100), r = 1 + rnd.nextInt(8);
                        collecting.resize(c, r);
                        direct.resize(c, r);
                    }
                    default -> { }
                }
            }
            assertThat(collecting.snapshot()).as("round %d", round).isEqualTo(direct.snapshot());
            assertThat(collecting.stateDump()).as("round %d", round).isEqualTo(direct.stateDump());
            undrawn += collecting.undrawnBytes;
            roomsMade += collecting.roomsMade;
        }
        return new long[]{undrawn, roomsMade};
    }

    @Test
    void aFloodOfLinesKeepsExactlyTheLastScreenAndScrollback() {
        VtEmulator collecting = new VtEmulator(80, 24, 1000);
        VtEmulator direct = new VtEmulator(80, 24, 1000);
        direct.collectPlain = false;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            b.append(i % 7 == 0 ? "\u001b[32m" : "").append("line ").append(i).append(" of a build log, long enough to wrap: ")
                    .append("x".repeat(i % 90)).append(i % 7 == 0 ? "\u001b[0m" : "").append("\r\n");
        }
        byte[] log = b.toString().getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < log.length; off += 32768) {
            int n = Math.min(32768, log.length - off);
            collecting.write(log, off, n);
            direct.write(log, off, n);
        }
        assertThat(collecting.undrawnBytes).isGreaterThan(log.length / 2L);
        // in full flow only the text that stays visible is collected; nothing is drawn until the state is read
        assertThat(collecting.drawnPlainBytes).isZero();
        assertThat(collecting.stateDump()).isEqualTo(direct.stateDump());
        assertThat(collecting.drawnPlainBytes).isPositive().isLessThan(VtEmulator.PLAIN_PENDING_MAX);
        assertThat(collecting.rowText(21)).startsWith("line 59999 of a build log"); // 107 characters: rows 21 and 22
        assertThat(collecting.scrollbackSize()).isEqualTo(1000);
    }

    @Test
    void plainIsOnlyTextThatMovesTheCursorAndChangesColours() {
        assertThat(plain("ls -l\r\n\tA\bB\u001b[1;32mok\u001b[0m é 中\u007f")).isTrue();
        assertThat(plain("\u001b[01m\u001b[Kmain.c:3:1:\u001b[m\u001b[K \u001b[01;31m\u001b[Kerror: \u001b[m\u001b[K")).isTrue(); // gcc
        assertThat(plain("abc\u001b[?2K")).isFalse(); // a selective erase
        assertThat(plain("a".repeat(17))).isTrue();
        assertThat(plain("abc\u001b[Hdef")).isFalse(); // cursor position
        assertThat(plain("abc\u001b[?25l")).isFalse(); // a mode
        assertThat(plain("abc\u001b[1;3")).isFalse(); // an SGR cut by the chunk's end
        assertThat(plain("abc\u001b")).isFalse();
        assertThat(plain("abc\u0007")).isFalse(); // BEL
        assertThat(plain("abc\u000b")).isFalse(); // VT scrolls like LF but is not counted as one
        assertThat(VtEmulator.isPlain(new byte[]{'a', (byte) 0xE4, (byte) 0xB8}, 0, 3)).isFalse(); // a character cut
        assertThat(VtEmulator.isPlain(new byte[]{'a', (byte) 0x80, 'b'}, 0, 3)).isFalse(); // not UTF-8
        assertThat(VtEmulator.isPlain(new byte[]{'a', (byte) 0xC3, 'b'}, 0, 3)).isFalse();
    }

    private static boolean plain(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return VtEmulator.isPlain(b, 0, b.length);
    }

    /** Mostly plain text in lines of random length, with other sequences among it ({@code otherEvery}: 0 for none). */
    private static byte[] stream(Random rnd, int cols, int otherEvery) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        int pieces = 200 + rnd.nextInt(2000);
        for (int k = 0; k < pieces; k++) {
            int r = rnd.nextInt(10);
            if (otherEvery > 0 && rnd.nextInt(otherEvery) == 0) {
                s.writeBytes(OTHER[rnd.nextInt(OTHER.length)].getBytes(StandardCharsets.UTF_8));
            } else if (r < 3) {
                s.writeBytes(PLAIN[rnd.nextInt(PLAIN.length)].getBytes(StandardCharsets.UTF_8));
            } else {
                int n = rnd.nextInt(rnd.nextBoolean() ? 8 : 2 * cols + 2);
                for (int i = 0; i < n; i++) s.write(0x20 + rnd.nextInt(0x5F));
                s.write(rnd.nextInt(4) == 0 ? '\r' : '\n');
            }
        }
        return s.toByteArray();
    }
}
