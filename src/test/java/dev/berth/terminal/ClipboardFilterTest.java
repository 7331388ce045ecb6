package dev.berth.terminal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ClipboardFilterTest {
    private static final String ESC = "\u001b", BEL = "\u0007";

    private static byte[] bytes(String s) {
        // chars up to U+00FF become single bytes, so "\u00c2\u009d" is the UTF-8 encoding of U+009D (C1 OSC)
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The filter's output when the stream arrives in chunks cut at {@code cuts} (sorted offsets). */
    private static byte[] filtered(byte[] in, int... cuts) {
        ClipboardFilter f = new ClipboardFilter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : in.length;
            out.writeBytes(f.filter(in, from, to - from));
            from = to;
        }
        return out.toByteArray();
    }

    private static byte[] oneByteAtATime(byte[] in) {
        ClipboardFilter f = new ClipboardFilter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) out.writeBytes(f.filter(in, i, 1));
        return out.toByteArray();
    }

    /**
     * Whether a terminal reading {@code out} would see an OSC 52, read as xterm.js reads it: an OSC starts at
     * {@code ESC ]} or at U+009D wherever they stand (ESC ends any string first), and its number is read as a number.
     */
    private static boolean terminalSeesOsc52(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            int start;
            if ((out[i] & 0xFF) == 0x1B && i + 1 < out.length && out[i + 1] == ']') start = i + 2;
            else if ((out[i] & 0xFF) == 0xC2 && i + 1 < out.length && (out[i + 1] & 0xFF) == 0x9D) start = i + 2;
            else continue;
            long value = 0;
            int j = start;
            while (j < out.length && out[j] >= '0' && out[j] <= '9') {
                value = Math.min(value * 10 + (out[j] - '0'), 1_000_000);
                j++;
            }
            if (j > start && value == 52) return true;
        }
        return false;
    }

    @Test
    void colouredOutputTitlesAndLatin1TextPassAsTheSameArray() {
        StringBuilder s = new StringBuilder();
        while (s.length() < 64 * 1024) {
            s.append(ESC).append("[32mINFO").append(ESC).append("[0m 12:00:00 the quick brown fox \u00c2\u00b0 jumps\r\n");
        }
        s.append(ESC).append("]2;a title").append(BEL).append(ESC).append("]0;another").append(ESC).append("\\done");
        byte[] chunk = bytes(s.toString());
        ClipboardFilter f = new ClipboardFilter();
        // the same array: no copy and no byte-by-byte pass (which capped coloured output at about 30 MB/s)
        assertThat(f.filter(chunk, 0, chunk.length)).isSameAs(chunk);
        assertThat(f.filter(chunk, 0, chunk.length)).isSameAs(chunk);
        assertThat(f.filter(chunk, 10, 100)).isEqualTo(Arrays.copyOfRange(chunk, 10, 110));
    }

    @Test
    void everyFormOfClipboardSequenceIsDroppedHoweverTheStreamIsCut() {
        String in = "a" + ESC + "]52;c;aGVsbG8=" + BEL
                + "b" + ESC + "]052;c;eA==" + ESC + "\\" // leading zero: a terminal reads 52
                + "c" + "\u00c2\u009d52;c;eA==\u00c2\u009c" // the C1 OSC (U+009D) and ST (U+009C), as UTF-8
                + "d" + ESC + "]2;title" + BEL
                + "e" + ESC + "]52;?" + BEL
                + "f" + ESC + ESC + "]52;x" + BEL + "]52;Z" + BEL // the first ESC must not meet the "]52" after the drop
                + "g" + ESC + "\u00c2\u009d52;x" + BEL + "]52;Y" + BEL // nor an ESC before a C1 OSC
                + "h" + ESC + "]0000000052;x" + BEL
                + "i" + ESC + "]52" + "\u0018" // CAN ends the OSC
                + "j";
        String expected = "abcd" + ESC + "]2;title" + BEL + "ef]52;Z" + BEL + "g]52;Y" + BEL + "hij";
        byte[] input = bytes(in);
        assertThat(new String(filtered(input), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        assertThat(new String(oneByteAtATime(input), StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        for (int a = 1; a < input.length; a++) {
            assertThat(new String(filtered(input, a), StandardCharsets.ISO_8859_1)).as("cut at %d", a).isEqualTo(expected);
            for (int b = a + 1; b < input.length; b += 7) {
                assertThat(new String(filtered(input, a, b), StandardCharsets.ISO_8859_1)).as("cut at %d, %d", a, b)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void randomStreamsComeOutTheSameHoweverTheyAreCutAndNeverWithAnOsc52() {
        byte[] alphabet = bytes(ESC + ESC + "]]55220;;x" + BEL + "\u0018\\\u00c2\u00c2\u009d\u009cA\u00b0");
        Random random = new Random(52);
        for (int round = 0; round < 3000; round++) {
            byte[] in = new byte[1 + random.nextInt(200)];
            for (int i = 0; i < in.length; i++) in[i] = alphabet[random.nextInt(alphabet.length)];
            byte[] whole = filtered(in);
            assertThat(oneByteAtATime(in)).as("round %d, one byte at a time", round).isEqualTo(whole);
            int[] cuts = random.ints(random.nextInt(6), 1, in.length + 1).sorted().distinct().filter(c -> c < in.length).toArray();
            assertThat(filtered(in, cuts)).as("round %d, cut at %s", round, Arrays.toString(cuts)).isEqualTo(whole);
            assertThat(terminalSeesOsc52(whole)).as("round %d: %s", round, Arrays.toString(in)).isFalse();
        }
    }

    @Test
    void nothingBeforeADroppedSequenceJoinsWhatFollowsItIntoAnOsc52() {
        // every prefix of up to three pieces that could leave a terminal half-way into a sequence (an ESC, a C2, an OSC
        // that passes), every form of OSC 52, every tail that would complete one: nothing written before the drop may
        // meet the tail
        String[] pieces = {"", ESC, "\u00c2", ESC + "\u00c2", "\u00c2\u00c2", ESC + ESC, "A", BEL, "]", "\u00c2\u00b0", "\u0018",
                "2;t", ESC + "]2"};
        String[] drops = {ESC + "]52;x" + BEL, "\u00c2\u009d52;x" + BEL, ESC + "]052;x" + ESC + "\\", "\u00c2\u009d52;x\u00c2\u009c",
                ESC + "]52" + BEL};
        String[] tails = {"]52;y" + BEL, "\u009d52;y" + BEL, "\\]52;y" + BEL, "52;y" + BEL, "]052;y" + BEL, "\u00c2\u009d52;y" + BEL};
        int checked = 0;
        for (String p1 : pieces) for (String p2 : pieces) for (String p3 : pieces) for (String drop : drops) for (String tail : tails) {
            if (terminalSeesOsc52(bytes(tail))) continue; // a tail that is an OSC 52 by itself is dropped on its own
            byte[] in = bytes(p1 + p2 + p3 + drop + tail);
            byte[] whole = filtered(in);
            assertThat(terminalSeesOsc52(whole)).as("%s", Arrays.toString(in)).isFalse();
            assertThat(oneByteAtATime(in)).as("%s, one byte at a time", Arrays.toString(in)).isEqualTo(whole);
            checked++;
        }
        assertThat(checked).isGreaterThan(10_000);
    }

    @Test
    void textWithoutEscapesIsNeverChanged() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] in = new byte[random.nextInt(300)];
            random.nextBytes(in);
            for (int i = 0; i < in.length; i++) if (in[i] == 0x1B || in[i] == (byte) 0xC2) in[i] = 'x';
            assertThat(filtered(in, in.length / 2)).isEqualTo(in);
        }
    }
}
