package dev.berth.terminal.vt;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class VtEmulatorTest {

    private static VtEmulator feed(int cols, int rows, String s) {
        VtEmulator vt = new VtEmulator(cols, rows, 100);
        vt.write(s);
        return vt;
    }

    /** The snapshot of {@code vt}, written into a fresh emulator of the same size, gives the same state. */
    private static void assertSnapshotRepaints(VtEmulator vt) {
        VtEmulator copy = new VtEmulator(vt.cols(), vt.rows(), 100);
        copy.write(vt.snapshot());
        assertThat(copy.stateDump()).isEqualTo(vt.stateDump());
    }

    @Test
    void printsWrapsWithPendingWrapSemantics() {
        VtEmulator vt = feed(5, 3, "abcde");
        assertThat(vt.cursorX()).isEqualTo(4);
        assertThat(vt.stateDump()).contains("pending=true");
        vt.write("\r");
        assertThat(vt.cursorY()).isZero();
        vt.write("\u001b[1;5Hxy");
        assertThat(vt.rowText(0)).isEqualTo("abcdx");
        assertThat(vt.rowText(1)).isEqualTo("y");
        assertSnapshotRepaints(vt);
    }

    @Test
    void cursorMovementEraseAndInsertDelete() {
        VtEmulator vt = feed(10, 4, "0123456789\r\nabcdefghij\r\nABCDEFGHIJ");
        vt.write("\u001b[2;3H\u001b[2P");
        assertThat(vt.rowText(1)).isEqualTo("abefghij");
        vt.write("\u001b[2@");
        assertThat(vt.rowText(1)).isEqualTo("ab  efghij");
        vt.write("\u001b[1;4H\u001b[K");
        assertThat(vt.rowText(0)).isEqualTo("012");
        vt.write("\u001b[3;1H\u001b[L");
        assertThat(vt.rowText(2)).isEmpty();
        assertThat(vt.rowText(3)).isEqualTo("ABCDEFGHIJ");
        vt.write("\u001b[1;1H\u001b[M");
        assertThat(vt.rowText(0)).isEqualTo("ab  efghij");
        vt.write("\u001b[2;5H\u001b[1J");
        assertThat(vt.rowText(0)).isEmpty();
        assertSnapshotRepaints(vt);
    }

    @Test
    void scrollRegionKeepsOutsideRowsAndFeedsNoScrollback() {
        VtEmulator vt = feed(8, 5, "top\r\n1\r\n2\r\n3\r\nbottom\u001b[2;4r\u001b[4;1H\n\nnew");
        assertThat(vt.rowText(0)).isEqualTo("top");
        assertThat(vt.rowText(3)).isEqualTo("new");
        assertThat(vt.rowText(4)).isEqualTo("bottom");
        assertThat(vt.scrollbackSize()).isZero();
        vt.write("\u001b[2;1H\u001bM\u001bMX");
        assertThat(vt.rowText(2)).isEmpty();
        assertSnapshotRepaints(vt);
    }

    @Test
    void sgrColoursAndAttributesSurviveSnapshot() {
        VtEmulator vt = feed(30, 4, "\u001b[1;4;7;31;42mred\u001b[0m \u001b[38;5;200;48;5;17mpal\u001b[0m "
                + "\u001b[38;2;1;2;3;48;2;250;251;252mrgb\u001b[22;24;27m x\u001b[92;103mB\u001b[3;9;2m");
        assertThat(vt.stateDump()).contains("0;1;4;7;31;42").contains("38;5;200;48;5;17").contains("38;2;1;2;3;48;2;250;251;252");
        assertSnapshotRepaints(vt);
    }

    @Test
    void eraseUsesBackgroundColour() {
        VtEmulator vt = feed(6, 2, "\u001b[44m\u001b[2J\u001b[0mhi");
        assertThat(vt.stateDump()).contains("0;44");
        assertSnapshotRepaints(vt);
    }

    @Test
    void alternateScreenAndSavedCursor() {
        VtEmulator vt = feed(14, 4, "shell$ ls\r\nfile\r\n$ ");
        vt.write("\u001b[?1049h\u001b[H\u001b[2JVI SCREEN\u001b[4;1H\u001b[7m-- INSERT --\u001b[0m\u001b[2;3H");
        assertThat(vt.altScreen()).isTrue();
        assertThat(vt.rowText(0)).isEqualTo("VI SCREEN");
        assertSnapshotRepaints(vt);
        vt.write("\u001b[?1049l");
        assertThat(vt.altScreen()).isFalse();
        assertThat(vt.rowText(1)).isEqualTo("file");
        assertThat(vt.cursorX()).isEqualTo(2);
        assertThat(vt.cursorY()).isEqualTo(2);
        assertSnapshotRepaints(vt);
    }

    @Test
    void decscDecrcAndModesSurviveSnapshot() {
        VtEmulator vt = feed(20, 6, "\u001b[3;7H\u001b[1;33m\u001b7\u001b[0m\u001b[H\u001b[?25l\u001b[?1h\u001b=\u001b[?2004h\u001b[?1002h\u001b[?1006h\u001b[4 q"
                + "\u001b]2;my title\u0007\u001b[2;5r\u001b[?6h\u001b[2;2Hx\u001b[3g\u001b[1;4H\u001bH\u001b(0qqq\u001b(B");
        assertSnapshotRepaints(vt);
        assertThat(vt.rowText(2)).startsWith(" x");
        vt.write("\u001b8");
        assertThat(vt.cursorX()).isEqualTo(6);
        VtEmulator copy = new VtEmulator(20, 6, 100);
        copy.write(feed(20, 6, "\u001b[3;7H\u001b[1;33m\u001b7\u001b[0m\u001b[H").snapshot());
        copy.write("\u001b8X");
        assertThat(copy.stateDump()).contains("|      X|").contains("0;1;33");
    }

    @Test
    void lineDrawingCharset() {
        VtEmulator vt = feed(10, 2, "\u001b(0lqqk\u001b(Bok");
        assertThat(vt.rowText(0)).isEqualTo("┌──┐ok");
        assertSnapshotRepaints(vt);
    }

    @Test
    void utf8AndWideCharacters() {
        VtEmulator vt = feed(6, 3, "é中文x日");
        assertThat(vt.rowText(0)).isEqualTo("é中文x");
        assertThat(vt.rowText(1)).isEqualTo("日");
        vt.write("\u001b[1;3Hz");
        assertThat(vt.rowText(0)).isEqualTo("é z文x");
        assertSnapshotRepaints(vt);
        VtEmulator split = new VtEmulator(6, 3, 100);
        byte[] b = "中".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        split.write(b, 0, 1);
        split.write(b, 1, 2);
        assertThat(split.rowText(0)).isEqualTo("中");
    }

    @Test
    void tabsAndBackTab() {
        VtEmulator vt = feed(20, 2, "a\tb\tc\u001b[Zd");
        assertThat(vt.rowText(0)).isEqualTo("a       b       d");
        assertSnapshotRepaints(vt);
    }

    @Test
    void scrollbackIsKeptBoundedAndRepainted() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 250; i++) s.append("\u001b[3").append(i % 8).append("mline ").append(i).append("\r\n");
        VtEmulator vt = feed(12, 5, s.toString());
        assertThat(vt.scrollbackSize()).isEqualTo(100);
        assertSnapshotRepaints(vt);
        vt.write("\u001b[3J");
        assertThat(vt.scrollbackSize()).isZero();
    }

    /**
     * Scrolling reuses the line that leaves for good as the new blank line: after thousands of scrolls past a full
     * scrollback, and in a scroll region of the alternate screen, every row and history line still holds exactly
     * its own text, and new rows come up blank in the current background colour.
     */
    @Test
    void recycledLinesComeBackBlankAndHistoryKeepsItsText() {
        VtEmulator vt = new VtEmulator(10, 4, 5);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 3000; i++) s.append("row ").append(i).append("\r\n");
        vt.write(s.toString());
        assertThat(vt.scrollbackSize()).isEqualTo(5);
        assertThat(vt.screenText().split("\n")[0]).isEqualTo("row 2997");
        assertThat(vt.stateDump()).contains("row 2992").contains("row 2996").doesNotContain("row 2991");
        // a blank row scrolled in under a coloured background takes that background; history is untouched
        vt.write("\u001b[44m\r\n\u001b[0m");
        assertThat(vt.stateDump()).contains("row 2993").doesNotContain("row 2992");
        VtEmulator plain = new VtEmulator(10, 4, 5);
        plain.write(s + "\u001b[44m\r\n\u001b[0m");
        assertThat(vt.stateDump()).isEqualTo(plain.stateDump());
        // alternate screen, scroll region rows 2-3: lines leaving the region are recycled, rows outside stay
        vt.write("\u001b[?1049h\u001b[Htop\u001b[4;1Hbottom\u001b[2;3r\u001b[2;1H");
        for (int i = 0; i < 50; i++) vt.write("alt " + i + "\r\n");
        String[] rows = vt.screenText().split("\n", -1);
        assertThat(rows[0]).isEqualTo("top");
        assertThat(rows[1]).isEqualTo("alt 49");
        assertThat(rows[2]).isEmpty();
        assertThat(rows[3]).isEqualTo("bottom");
        assertSnapshotRepaints(vt);
    }

    @Test
    void softWrappedLinesRepaint() {
        VtEmulator vt = feed(4, 3, "abcdefghij\r\nxy");
        assertThat(vt.rowText(0)).isEqualTo("efgh");
        assertThat(vt.scrollbackSize()).isEqualTo(1);
        assertSnapshotRepaints(vt);
    }

    @Test
    void osc52AndQueriesAreNotAnsweredOrKept() {
        VtEmulator vt = feed(10, 2, "a\u001b]52;c;aGVsbG8=\u0007b\u001b[6n\u001b[c\u001b]11;?\u001b\\c");
        assertThat(vt.rowText(0)).isEqualTo("abc");
    }

    @Test
    void randomisedStreamsAlwaysRepaintIdentically() {
        String[] pieces = {"x", "yz", "中", "\r\n", "\n", "\r", "\b", "\t", "\u001b[H", "\u001b[3;4H", "\u001b[2J", "\u001b[K",
                "\u001b[1K", "\u001b[2P", "\u001b[3@", "\u001b[L", "\u001b[2M", "\u001b[31m", "\u001b[0m", "\u001b[1;44m",
                "\u001b[38;5;99m", "\u001b7", "\u001b8", "\u001bM", "\u001bD", "\u001b[2;5r", "\u001b[r", "\u001b[?1049h",
                "\u001b[?1049l", "\u001b[?25l", "\u001b[?25h", "\u001b[?7l", "\u001b[?7h", "\u001b[5X", "\u001b[S", "\u001b[T",
                "\u001b[10C", "\u001b[4B", "\u001b[G", "\u001b[?2004h", "abcdefghijklmnop", "\u001b(0q\u001b(B", "\u001b[4h",
                "\u001b[4l", "\u001b[?6h", "\u001b[?6l", "\u001b[9d", "\u001b[3g", "\u001bH", "\u001b[Z", "\u001b[2b"};
        Random r = new Random(42);
        for (int round = 0; round < 300; round++) {
            VtEmulator vt = new VtEmulator(12, 6, 100);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 60; i++) s.append(pieces[r.nextInt(pieces.length)]);
            vt.write(s.toString());
            VtEmulator copy = new VtEmulator(12, 6, 100);
            copy.write(vt.snapshot());
            assertThat(copy.stateDump()).as("stream %s", s.toString().replace("\u001b", "ESC")).isEqualTo(vt.stateDump());
        }
    }
}
