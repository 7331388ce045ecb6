package dev.berth.terminal.vt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A headless terminal emulator: the subset of xterm that shells and common full-screen programs use
 * (busybox sh/vi/top/less, ncurses programs). It keeps the screen, scrollback, cursor and modes so that
 * {@link #snapshot()} can produce a byte sequence that repaints the same state in a fresh terminal.
 *
 * <p>It never answers queries (DA, DSR, colour queries): a server-side emulator speaks for nobody. Not thread-safe.
 *
 * <p>Plain text (printable characters, CR, LF, TAB, BS, colour changes and line erases) is not parsed as it arrives
 * but collected, up to {@link #PLAIN_PENDING_MAX} bytes, and parsed when anything else arrives, when the screen or
 * cursor is read, or when that much has been collected (plain text changes no mode, so reading a mode parses nothing).
 * Of collected text that scrolls every line there was off the screen and out of the scrollback, only the tail that is
 * still visible afterwards is drawn; the rest only moves the cursor ({@link #painting}). When the collection is full,
 * that rest is followed and dropped and the tail stays collected ({@link #makeRoom}), so a terminal in full flow (a
 * build log, {@code cat} of a large file) draws nothing until someone reads its state, and every method that reads
 * the state sees exactly what drawing everything would have given.
 */
public final class VtEmulator {

    private static final int GROUND = 0, ESC = 1, ESC_INTER = 2, CSI = 3, OSC = 4, STRING = 5, STRING_ESC = 6, OSC_ESC = 7;
    private static final int MAX_PARAMS = 32;
    private static final int MAX_OSC = 4096;

    /** Cursor state saved by DECSC / restored by DECRC. */
    private static final class Saved {
        int x, y;
        long style;
        boolean origin, wrapPending;
        int g0, g1, gl;
    }

    private static final class Buffer {
        Line[] lines;
        int x, y;
        boolean wrapPending;
        Saved saved;
    }

    private int cols, rows;
    private final int scrollbackLimit;
    private final Deque<Line> scrollback = new ArrayDeque<>();
    private final Buffer main = new Buffer(), alt = new Buffer();
    private Buffer buf;
    private boolean altActive;

    private long style = Style.DEFAULT;
    private int top, bottom; // scroll region, inclusive
    private boolean[] tabs;

    // modes
    private boolean autowrap = true, originMode, insertMode, newlineMode, cursorVisible = true, appCursorKeys, appKeypad;
    private boolean bracketedPaste, reverseVideo, focusEvents;
    private int mouseTracking; // 0, 9, 1000, 1002, 1003
    private int mouseEncoding; // 0, 1005, 1006, 1015
    private int cursorStyle; // DECSCUSR parameter, 0 = default
    private int g0, g1, gl; // charsets: 0 = ASCII, 1 = DEC special graphics
    private String title = "";

    // parser
    private int state = GROUND;
    private final int[] params = new int[MAX_PARAMS];
    private int paramCount;
    private boolean paramStarted;
    private final StringBuilder intermediates = new StringBuilder();
    private char privateMarker;
    private final StringBuilder osc = new StringBuilder();
    private int utf8Need, utf8Cp, utf8Min;
    private int lastPrinted = ' ';

    /** Most bytes of plain text collected before they are parsed. */
    static final int PLAIN_PENDING_MAX = 1 << 20;
    /** {@link #PLAIN_PENDING_MAX}; tests lower it to make room often. */
    int plainPendingMax = PLAIN_PENDING_MAX;
    /** Off in tests only: every write is then parsed at once, which collecting plain text must match exactly. */
    boolean collectPlain = true;
    private byte[] plain;
    private int plainLen;
    /** False while text that will be scrolled away is parsed: the cursor moves, no cell is drawn, nothing scrolls. */
    private boolean painting = true;
    /** Bytes parsed without drawing so far (for tests: that the collecting path was taken). */
    long undrawnBytes;
    /** Bytes of collected text drawn so far (for tests: that a terminal in full flow draws nothing until read). */
    long drawnPlainBytes;
    /** Times collected text was followed and dropped to make room (for tests). */
    long roomsMade;

    public VtEmulator(int cols, int rows) {
        this(cols, rows, 1000);
    }

    public VtEmulator(int cols, int rows, int scrollbackLimit) {
        if (cols < 1 || rows < 1) throw new IllegalArgumentException("terminal size must be at least 1x1, got " + cols + "x" + rows);
        this.cols = cols;
        this.rows = rows;
        this.scrollbackLimit = Math.max(0, scrollbackLimit);
        main.lines = blankLines(rows, 0);
        alt.lines = blankLines(rows, 0);
        buf = main;
        top = 0;
        bottom = rows - 1;
        tabs = defaultTabs(cols);
    }

    public int cols() {
        return cols;
    }

    public int rows() {
        return rows;
    }

    public boolean altScreen() {
        return altActive;
    }

    public boolean bracketedPaste() {
        return bracketedPaste;
    }

    public boolean applicationCursorKeys() {
        return appCursorKeys;
    }

    public boolean cursorVisible() {
        return cursorVisible;
    }

    public int cursorX() {
        settle();
        return buf.x;
    }

    public int cursorY() {
        settle();
        return buf.y;
    }

    public String title() {
        return title;
    }

    public int scrollbackSize() {
        settle();
        return scrollback.size();
    }

    private Line[] blankLines(int n, long erase) {
        Line[] l = new Line[n];
        for (int i = 0; i < n; i++) l[i] = new Line(cols, erase);
        return l;
    }

    private static boolean[] defaultTabs(int cols) {
        boolean[] t = new boolean[cols];
        for (int i = 8; i < cols; i += 8) t[i] = true;
        return t;
    }

    // ------------------------------------------------------------------ input

    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    public void write(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] data, int off, int len) {
        if (collectPlain && len > 0 && plainCollectable() && isPlain(data, off, len)) {
            if (plainLen + len > plainPendingMax) makeRoom(len);
            if (len >= plainPendingMax) {
                parse(data, off, len);
                return;
            }
            if (plain == null || plain.length < plainLen + len) {
                plain = Arrays.copyOf(plain == null ? new byte[0] : plain, Math.min(plainPendingMax, Math.max(8192, 2 * (plainLen + len))));
            }
            System.arraycopy(data, off, plain, plainLen, len);
            plainLen += len;
            return;
        }
        settle();
        parse(data, off, len);
    }

    /**
     * Parses the collected plain text. When the text has enough line feeds after some point to scroll every line
     * that was on the screen or in the scrollback before that point away, the text before it is only followed
     * (cursor, rendition, last character): what it would have drawn does not survive the rest.
     */
    private void settle() {
        if (plainLen == 0) return;
        byte[] p = plain;
        int n = plainLen;
        plainLen = 0;
        int from = drawnTail(p, n);
        follow(p, from);
        drawnPlainBytes += n - from;
        parse(p, from, n - from);
        if (p.length > 65536 && n < plainPendingMax / 2) plain = null; // keep the large buffer only in full flow
    }

    /**
     * Makes room for len more bytes of plain text. The collected text that the rest of it scrolls away is followed
     * (not drawn) and dropped; the tail that stays visible stays collected, so a terminal in full flow draws nothing
     * until its state is read. When that leaves too little room, everything collected is parsed.
     */
    private void makeRoom(int len) {
        byte[] p = plain;
        int n = plainLen;
        int from = drawnTail(p, n);
        if (from > 0) {
            plainLen = 0; // nothing collected while the head is parsed
            roomsMade++;
            follow(p, from);
            System.arraycopy(p, from, p, 0, n - from);
            plainLen = n - from;
        }
        if (plainLen + len > plainPendingMax) settle();
    }

    /** Parses p[0..end) without drawing: the text that follows it scrolls away all it would draw. */
    private void follow(byte[] p, int end) {
        if (end == 0) return;
        undrawnBytes += end;
        painting = false;
        try {
            parse(p, 0, end);
        } finally {
            painting = true;
        }
    }

    /**
     * Where the part of the plain text p[0..n) starts that must be drawn: just after the line feed that has enough
     * line feeds after it to scroll everything older out. The cursor reaches the bottom row after at most rows - 1
     * of them; from there every line feed scrolls one line, and rows + scrollback scrolls leave no older line.
     */
    private int drawnTail(byte[] p, int n) {
        long needed = 2L * rows + scrollbackLimit;
        int count = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (p[i] == '\n' && count++ == needed) return i + 1;
        }
        return 0;
    }

    /** The state in which plain text only moves the cursor and scrolls the whole screen into the scrollback. */
    private boolean plainCollectable() {
        return state == GROUND && utf8Need == 0 && buf == main && !altActive && top == 0 && bottom == rows - 1
                && autowrap && !insertMode && !newlineMode && !originMode && g0 == 0 && g1 == 0 && gl == 0;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /** Whether all eight bytes of v are printable ASCII (0x20..0x7E). */
    private static boolean printable8(long v) {
        long below = (v - 0x20 * ONES) & ~v; // a byte below 0x20 sets its high bit
        long above = (v + ONES) | v; // a byte above 0x7E sets its high bit
        return ((below | above) & HIGHS) == 0;
    }

    /**
     * Whether data[off..off+len) is plain text, complete in itself: printable ASCII, CR, LF, TAB, BS, DEL, whole
     * UTF-8 characters, whole SGR sequences ({@code ESC [ digits ; : m}) and erases in the line ({@code ESC [ n K},
     * which gcc and grep put after their colours). Eight printable bytes at a time.
     */
    static boolean isPlain(byte[] data, int off, int len) {
        int end = off + len;
        int i = off;
        int utf8 = 0;
        while (i < end) {
            if (utf8 == 0 && i + 8 <= end) {
                if (printable8((long) LONGS.get(data, i))) {
                    i += 8;
                    continue;
                }
            }
            int b = data[i++] & 0xFF;
            if (utf8 > 0) {
                if ((b & 0xC0) != 0x80) return false;
                utf8--;
            } else if (b >= 0x20 && b <= 0x7F || b == '\r' || b == '\n' || b == '\t' || b == '\b') {
                // printable, or a control that only moves the cursor
            } else if (b >= 0xC2 && b <= 0xF4) {
                utf8 = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
            } else if (b == 0x1B) {
                if (i >= end || data[i] != '[') return false;
                i++;
                while (i < end && (data[i] >= '0' && data[i] <= '9' || data[i] == ';' || data[i] == ':')) i++;
                if (i >= end || data[i] != 'm' && data[i] != 'K') return false;
                i++;
            } else {
                return false;
            }
        }
        return utf8 == 0;
    }

    private void parse(byte[] data, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && fastPath && utf8Need == 0 && state == GROUND) {
                int j = printAscii(data, i, end);
                if (j > i) {
                    i = j - 1;
                    continue;
                }
            }
            if (utf8Need > 0) {
                if ((b & 0xC0) == 0x80) {
                    utf8Cp = (utf8Cp << 6) | (b & 0x3F);
                    if (--utf8Need == 0) {
                        int cp = utf8Cp;
                        if (cp < utf8Min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
                        codePoint(cp);
                    }
                    continue;
                }
                utf8Need = 0;
                codePoint(0xFFFD);
            }
            if (b < 0x80) {
                codePoint(b);
            } else if ((b & 0xE0) == 0xC0) {
                utf8Need = 1;
                utf8Cp = b & 0x1F;
                utf8Min = 0x80;
            } else if ((b & 0xF0) == 0xE0) {
                utf8Need = 2;
                utf8Cp = b & 0x0F;
                utf8Min = 0x800;
            } else if ((b & 0xF8) == 0xF0) {
                utf8Need = 3;
                utf8Cp = b & 0x07;
                utf8Min = 0x10000;
            } else {
                codePoint(0xFFFD);
            }
        }
    }

    private void codePoint(int c) {
        // C0 controls act in almost every state (as in xterm)
        if (c < 0x20 && state != OSC && state != STRING) {
            if (c == 0x1B) {
                enterEscape();
                return;
            }
            if (c == 0x18 || c == 0x1A) {
                state = GROUND;
                return;
            }
            control(c);
            return;
        }
        switch (state) {
            case GROUND -> {
                if (c == 0x7F) return;
                print(c);
            }
            case ESC -> escape(c);
            case ESC_INTER -> {
                if (c >= 0x20 && c <= 0x2F) intermediates.append((char) c);
                else escDispatch(c);
            }
            case CSI -> csiChar(c);
            case OSC -> oscChar(c);
            case OSC_ESC -> {
                if (c == '\\') oscDispatch();
                state = GROUND;
                if (c != '\\') codePoint(c);
            }
            case STRING -> {
                if (c == 0x1B) state = STRING_ESC;
                else if (c == 0x07 || c == 0x18 || c == 0x1A) state = GROUND;
            }
            case STRING_ESC -> state = c == '\\' ? GROUND : STRING;
            default -> state = GROUND;
        }
    }

    private void enterEscape() {
        if (state == OSC) {
            state = OSC_ESC;
            return;
        }
        if (state == STRING) {
            state = STRING_ESC;
            return;
        }
        state = ESC;
        intermediates.setLength(0);
    }

    private void control(int c) {
        switch (c) {
            case 0x08 -> { // BS
                if (buf.x > 0) buf.x = Math.min(buf.x, cols - 1) - (buf.wrapPending ? 0 : 1);
                buf.wrapPending = false;
            }
            case 0x09 -> tab(1);
            case 0x0A, 0x0B, 0x0C -> {
                index();
                if (newlineMode) buf.x = 0;
            }
            case 0x0D -> {
                buf.x = 0;
                buf.wrapPending = false;
            }
            case 0x0E -> gl = 1;
            case 0x0F -> gl = 0;
            default -> {
            }
        }
    }

    private void escape(int c) {
        if (c >= 0x20 && c <= 0x2F) {
            intermediates.append((char) c);
            state = ESC_INTER;
            return;
        }
        state = GROUND;
        switch (c) {
            case '[' -> {
                state = CSI;
                paramCount = 0;
                paramStarted = false;
                Arrays.fill(params, 0);
                intermediates.setLength(0);
                privateMarker = 0;
            }
            case ']' -> {
                state = OSC;
                osc.setLength(0);
            }
            case 'P', 'X', '^', '_' -> state = STRING; // DCS, SOS, PM, APC: swallowed
            case '7' -> saveCursor();
            case '8' -> restoreCursor();
            case 'D' -> index();
            case 'E' -> {
                index();
                buf.x = 0;
            }
            case 'M' -> reverseIndex();
            case 'H' -> {
                if (buf.x < cols) tabs[Math.min(buf.x, cols - 1)] = true;
            }
            case 'c' -> reset();
            case '=' -> appKeypad = true;
            case '>' -> appKeypad = false;
            default -> {
            }
        }
    }

    private void escDispatch(int c) {
        state = GROUND;
        String in = intermediates.toString();
        switch (in) {
            case "(" -> g0 = c == '0' ? 1 : 0;
            case ")" -> g1 = c == '0' ? 1 : 0;
            case "#" -> {
                if (c == '8') { // DECALN
                    for (Line l : buf.lines) {
                        Arrays.fill(l.ch, 'E');
                        Arrays.fill(l.style, 0);
                        l.wrapped = false;
                    }
                    buf.x = 0;
                    buf.y = 0;
                    buf.wrapPending = false;
                }
            }
            default -> {
            }
        }
    }

    private void csiChar(int c) {
        if (c >= '0' && c <= '9') {
            if (paramCount == 0) paramCount = 1;
            int i = paramCount - 1;
            params[i] = Math.min(params[i] * 10 + (c - '0'), 99999);
            paramStarted = true;
        } else if (c == ';' || c == ':') {
            if (paramCount == 0) paramCount = 1;
            if (paramCount < MAX_PARAMS) params[paramCount++] = 0;
        } else if (c >= '<' && c <= '?') {
            privateMarker = (char) c;
        } else if (c >= 0x20 && c <= 0x2F) {
            intermediates.append((char) c);
        } else if (c >= 0x40 && c <= 0x7E) {
            state = GROUND;
            csiDispatch(c);
        } else {
            state = GROUND;
        }
    }

    private int p(int i, int def) {
        return i < paramCount && params[i] != 0 ? params[i] : def;
    }

    private int p0(int i) {
        return i < paramCount ? params[i] : 0;
    }

    private void csiDispatch(int c) {
        if (privateMarker == '?' ) {
            if (c == 'h' || c == 'l') {
                for (int i = 0; i < Math.max(1, paramCount); i++) privateMode(p0(i), c == 'h');
            }
            return;
        }
        if (privateMarker != 0) return; // CSI > / CSI = / CSI <: queries and xterm extensions, ignored
        String in = intermediates.toString();
        if (!in.isEmpty()) {
            if (in.equals(" ") && c == 'q') cursorStyle = p0(0);
            else if (in.equals("!") && c == 'p') softReset();
            return;
        }
        switch (c) {
            case '@' -> insertChars(p(0, 1));
            case 'A' -> cursorUp(p(0, 1));
            case 'B', 'e' -> cursorDown(p(0, 1));
            case 'C', 'a' -> cursorTo(buf.y, Math.min(buf.x, cols - 1) + p(0, 1), false);
            case 'D' -> cursorTo(buf.y, Math.min(buf.x, cols - 1) - p(0, 1), false);
            case 'E' -> {
                cursorDown(p(0, 1));
                buf.x = 0;
            }
            case 'F' -> {
                cursorUp(p(0, 1));
                buf.x = 0;
            }
            case 'G', '`' -> cursorTo(buf.y, p(0, 1) - 1, false);
            case 'H', 'f' -> cursorTo(p(0, 1) - 1, p(1, 1) - 1, true);
            case 'I' -> tab(p(0, 1));
            case 'J' -> eraseDisplay(p0(0));
            case 'K' -> eraseLine(p0(0));
            case 'L' -> insertLines(p(0, 1));
            case 'M' -> deleteLines(p(0, 1));
            case 'P' -> deleteChars(p(0, 1));
            case 'S' -> scrollUp(p(0, 1));
            case 'T' -> {
                if (paramCount <= 1) scrollDown(p(0, 1));
            }
            case 'X' -> eraseChars(p(0, 1));
            case 'Z' -> backTab(p(0, 1));
            case 'b' -> {
                int n = Math.min(p(0, 1), 65535);
                for (int i = 0; i < n; i++) print(lastPrinted);
            }
            case 'd' -> cursorTo(p(0, 1) - 1, buf.x, true);
            case 'g' -> {
                int m = p0(0);
                if (m == 0 && buf.x < cols) tabs[Math.min(buf.x, cols - 1)] = false;
                else if (m == 3) Arrays.fill(tabs, false);
            }
            case 'h', 'l' -> {
                for (int i = 0; i < Math.max(1, paramCount); i++) {
                    int m = p0(i);
                    if (m == 4) insertMode = c == 'h';
                    else if (m == 20) newlineMode = c == 'h';
                }
            }
            case 'm' -> sgr();
            case 'r' -> {
                int t = p(0, 1) - 1, b = p(1, rows) - 1;
                b = Math.min(b, rows - 1);
                if (t < b) {
                    top = t;
                    bottom = b;
                    cursorTo(0, 0, true);
                }
            }
            case 's' -> saveCursor();
            case 'u' -> restoreCursor();
            default -> {
            }
        }
    }

    private void privateMode(int m, boolean on) {
        switch (m) {
            case 1 -> appCursorKeys = on;
            case 5 -> reverseVideo = on;
            case 6 -> {
                originMode = on;
                cursorTo(0, 0, true);
            }
            case 7 -> autowrap = on;
            case 9, 1000, 1002, 1003 -> mouseTracking = on ? m : 0;
            case 1004 -> focusEvents = on;
            case 1005, 1006, 1015 -> mouseEncoding = on ? m : 0;
            case 25 -> cursorVisible = on;
            case 2004 -> bracketedPaste = on;
            case 47, 1047 -> {
                if (on) enterAlt();
                else leaveAlt();
            }
            case 1048 -> {
                if (on) saveCursor();
                else restoreCursor();
            }
            case 1049 -> {
                if (on) {
                    if (!altActive) {
                        saveCursor();
                        enterAlt();
                    }
                } else if (altActive) {
                    leaveAlt();
                    restoreCursor();
                }
            }
            default -> {
            }
        }
    }

    private void enterAlt() {
        if (altActive) return;
        alt.lines = blankLines(rows, 0);
        alt.x = main.x;
        alt.y = main.y;
        alt.wrapPending = false;
        alt.saved = null;
        buf = alt;
        altActive = true;
    }

    private void leaveAlt() {
        if (!altActive) return;
        main.x = Math.min(main.x, cols - 1);
        buf = main;
        altActive = false;
    }

    private void sgr() {
        if (paramCount == 0) {
            style = Style.DEFAULT;
            return;
        }
        for (int i = 0; i < paramCount; i++) {
            int v = params[i];
            switch (v) {
                case 0 -> style = Style.DEFAULT;
                case 1 -> style = Style.withFlag(style, Style.BOLD, true);
                case 2 -> style = Style.withFlag(style, Style.DIM, true);
                case 3 -> style = Style.withFlag(style, Style.ITALIC, true);
                case 4 -> style = Style.withFlag(style, Style.UNDERLINE, true);
                case 5, 6 -> style = Style.withFlag(style, Style.BLINK, true);
                case 7 -> style = Style.withFlag(style, Style.INVERSE, true);
                case 8 -> style = Style.withFlag(style, Style.HIDDEN, true);
                case 9 -> style = Style.withFlag(style, Style.STRIKE, true);
                case 21, 24 -> style = Style.withFlag(style, Style.UNDERLINE, false);
                case 22 -> style = Style.withFlag(Style.withFlag(style, Style.BOLD, false), Style.DIM, false);
                case 23 -> style = Style.withFlag(style, Style.ITALIC, false);
                case 25 -> style = Style.withFlag(style, Style.BLINK, false);
                case 27 -> style = Style.withFlag(style, Style.INVERSE, false);
                case 28 -> style = Style.withFlag(style, Style.HIDDEN, false);
                case 29 -> style = Style.withFlag(style, Style.STRIKE, false);
                case 39 -> style = Style.withFg(style, 0);
                case 49 -> style = Style.withBg(style, 0);
                case 38, 48 -> {
                    int mode = p0(i + 1);
                    int color = -1;
                    if (mode == 5 && i + 2 < paramCount) {
                        color = Style.PALETTE | (params[i + 2] & 0xFF);
                        i += 2;
                    } else if (mode == 2 && i + 4 < paramCount) {
                        color = Style.RGB | ((params[i + 2] & 0xFF) << 16) | ((params[i + 3] & 0xFF) << 8) | (params[i + 4] & 0xFF);
                        i += 4;
                    } else {
                        i = paramCount;
                    }
                    if (color >= 0) style = v == 38 ? Style.withFg(style, color) : Style.withBg(style, color);
                }
                default -> {
                    if (v >= 30 && v <= 37) style = Style.withFg(style, Style.PALETTE | (v - 30));
                    else if (v >= 40 && v <= 47) style = Style.withBg(style, Style.PALETTE | (v - 40));
                    else if (v >= 90 && v <= 97) style = Style.withFg(style, Style.PALETTE | (v - 90 + 8));
                    else if (v >= 100 && v <= 107) style = Style.withBg(style, Style.PALETTE | (v - 100 + 8));
                }
            }
        }
    }

    private void oscChar(int c) {
        if (c == 0x07) {
            oscDispatch();
            state = GROUND;
        } else if (c == 0x1B) {
            state = OSC_ESC;
        } else if (osc.length() < MAX_OSC) {
            osc.appendCodePoint(c);
        }
    }

    private void oscDispatch() {
        String s = osc.toString();
        int semi = s.indexOf(';');
        if (semi < 0) return;
        String code = s.substring(0, semi);
        if (code.equals("0") || code.equals("2")) title = s.substring(semi + 1);
        // OSC 52 (clipboard), 4/10/11 (colour set/query), 8 (hyperlinks) etc. are not kept
    }

    // ------------------------------------------------------------------ actions

    private static final char[] DEC_GRAPHICS = ("◆▒␉␌␍␊°±␤␋┘┐┌└┼⎺⎻─⎼⎽├┤┴┬│≤≥π≠£·").toCharArray();

    /** Off in tests only: every byte then takes the general path, which the fast path must match exactly. */
    boolean fastPath = true;

    /**
     * Prints the run of printable ASCII that starts at data[from] (and ends before {@code to} or at the first other
     * byte) in the common case (ASCII charset, autowrap on, no insert mode): the scan and the copy are one pass,
     * row by row. Returns where the run ended, or {@code from}, having done nothing, for the general path.
     */
    private int printAscii(byte[] data, int from, int to) {
        if ((gl == 0 ? g0 : g1) != 0 || !autowrap || insertMode) return from;
        int i = from;
        while (i < to) {
            byte first = data[i];
            if (first < 0x20 || first == 0x7F) break; // negative: not ASCII
            if (buf.wrapPending) {
                buf.wrapPending = false;
                newLineWrapped();
            }
            int x = buf.x;
            int n;
            if (painting) {
                Line line = buf.lines[buf.y];
                int[] ch = line.ch;
                // overwriting half of a wide character clears its other half (at both ends of the run)
                if (ch[x] == Line.WIDE_TAIL && x > 0) ch[x - 1] = 0;
                n = copyPrintable(data, i, Math.min(to - i, cols - x), ch, x);
                int endX = x + n;
                if (endX < cols && ch[endX] == Line.WIDE_TAIL) ch[endX] = 0;
                Arrays.fill(line.style, x, endX, style);
            } else {
                n = printableRun(data, i, Math.min(to - i, cols - x));
            }
            int endX = x + n;
            i += n;
            if (endX >= cols) {
                buf.x = cols - 1;
                buf.wrapPending = true;
            } else {
                buf.x = endX;
                break; // the row is not full: the run ended at another byte (or at the end of the data)
            }
        }
        if (i > from) lastPrinted = data[i - 1];
        return i;
    }

    /** Length of the run of printable ASCII at data[from], at most {@code max}: eight bytes at a time. */
    private static int printableRun(byte[] data, int from, int max) {
        int k = 0;
        while (k + 8 <= max && printable8((long) LONGS.get(data, from + k))) k += 8;
        while (k < max) {
            byte b = data[from + k];
            if (b < 0x20 || b == 0x7F) break;
            k++;
        }
        return k;
    }

    /** Copies printable ASCII bytes from data[from] into ch[x] until {@code max} or another byte; returns how many. */
    private static int copyPrintable(byte[] data, int from, int max, int[] ch, int x) {
        int n = printableRun(data, from, max);
        for (int k = 0; k < n; k++) ch[x + k] = data[from + k];
        return n;
    }

    private void print(int c) {
        if ((gl == 0 ? g0 : g1) == 1 && c >= 0x60 && c <= 0x7E) c = DEC_GRAPHICS[c - 0x60];
        int w = CharWidth.of(c);
        if (w == 0) return; // combining marks and zero-width characters are not kept
        lastPrinted = c;
        if (buf.wrapPending) {
            if (autowrap) {
                buf.wrapPending = false;
                newLineWrapped();
            } else {
                buf.x = cols - 1;
                buf.wrapPending = false;
            }
        }
        if (w == 2 && buf.x >= cols - 1) {
            if (cols < 2) return;
            if (autowrap) {
                if (painting) buf.lines[buf.y].clear(buf.x, cols, Style.eraseOf(style));
                newLineWrapped();
            } else {
                buf.x = cols - 2;
            }
        }
        int end = buf.x + w;
        if (painting) paint(c, w, end);
        if (end >= cols) {
            buf.x = cols - 1;
            buf.wrapPending = autowrap;
        } else {
            buf.x = end;
        }
    }

    private void paint(int c, int w, int end) {
        Line line = buf.lines[buf.y];
        if (insertMode) insertCells(line, buf.x, w);
        // overwriting half of a wide character clears its other half
        if (line.ch[buf.x] == Line.WIDE_TAIL && buf.x > 0) {
            line.ch[buf.x - 1] = 0;
        }
        if (end < cols && line.ch[end] == Line.WIDE_TAIL) {
            line.ch[end] = 0;
        }
        line.ch[buf.x] = c;
        line.style[buf.x] = style;
        if (w == 2) {
            line.ch[buf.x + 1] = Line.WIDE_TAIL;
            line.style[buf.x + 1] = style;
        }
    }

    private void newLineWrapped() {
        buf.x = 0;
        index();
        buf.lines[buf.y].wrapped = true;
    }

    private void index() {
        buf.wrapPending = false;
        if (buf.y == bottom) scrollUp(1);
        else if (buf.y < rows - 1) buf.y++;
    }

    private void reverseIndex() {
        buf.wrapPending = false;
        if (buf.y == top) scrollDown(1);
        else if (buf.y > 0) buf.y--;
    }

    private void scrollUp(int n) {
        if (!painting) return; // every line it would move is scrolled away by the text that follows
        n = Math.min(n, bottom - top + 1);
        long erase = Style.eraseOf(style);
        for (int i = 0; i < n; i++) {
            Line gone = buf.lines[top];
            // the line that leaves for good (past the scrollback, or off a screen without one) becomes the new
            // blank line: full-speed output scrolls millions of lines, and a new one each time was most of the cost
            Line free = gone;
            if (buf == main && top == 0 && scrollbackLimit > 0) {
                scrollback.addLast(gone);
                free = null;
                while (scrollback.size() > scrollbackLimit) free = scrollback.removeFirst();
            }
            System.arraycopy(buf.lines, top + 1, buf.lines, top, bottom - top);
            buf.lines[bottom] = free != null && free.cols() == cols ? free.reset(erase) : new Line(cols, erase);
        }
    }

    private void scrollDown(int n) {
        n = Math.min(n, bottom - top + 1);
        long erase = Style.eraseOf(style);
        for (int i = 0; i < n; i++) {
            System.arraycopy(buf.lines, top, buf.lines, top + 1, bottom - top);
            buf.lines[top] = new Line(cols, erase);
        }
    }

    private void cursorTo(int y, int x, boolean originRelative) {
        buf.wrapPending = false;
        int minY = 0, maxY = rows - 1;
        if (originRelative && originMode) {
            y += top;
            minY = top;
            maxY = bottom;
        }
        buf.y = clamp(y, minY, maxY);
        buf.x = clamp(x, 0, cols - 1);
    }

    private void cursorUp(int n) {
        int min = buf.y >= top ? top : 0;
        buf.y = Math.max(min, buf.y - n);
        buf.wrapPending = false;
    }

    private void cursorDown(int n) {
        int max = buf.y <= bottom ? bottom : rows - 1;
        buf.y = Math.min(max, buf.y + n);
        buf.wrapPending = false;
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private void tab(int n) {
        int x = Math.min(buf.x, cols - 1);
        for (int i = 0; i < n; i++) {
            x++;
            while (x < cols - 1 && !tabs[x]) x++;
            if (x >= cols - 1) {
                x = cols - 1;
                break;
            }
        }
        buf.x = x;
        buf.wrapPending = false;
    }

    private void backTab(int n) {
        int x = Math.min(buf.x, cols - 1);
        for (int i = 0; i < n && x > 0; i++) {
            x--;
            while (x > 0 && !tabs[x]) x--;
        }
        buf.x = x;
        buf.wrapPending = false;
    }

    private void eraseDisplay(int mode) {
        long erase = Style.eraseOf(style);
        Line[] l = buf.lines;
        int x = Math.min(buf.x, cols - 1);
        switch (mode) {
            case 0 -> {
                l[buf.y].clear(x, cols, erase);
                for (int y = buf.y + 1; y < rows; y++) clearLine(y, erase);
            }
            case 1 -> {
                for (int y = 0; y < buf.y; y++) clearLine(y, erase);
                l[buf.y].clear(0, x + 1, erase);
            }
            case 2 -> {
                for (int y = 0; y < rows; y++) clearLine(y, erase);
            }
            case 3 -> scrollback.clear();
            default -> {
            }
        }
    }

    private void clearLine(int y, long erase) {
        buf.lines[y] = new Line(cols, erase);
    }

    private void eraseLine(int mode) {
        long erase = Style.eraseOf(style);
        Line line = buf.lines[buf.y];
        int x = Math.min(buf.x, cols - 1);
        if (painting) { // else the line is scrolled away by the text that follows
            switch (mode) {
                case 0 -> line.clear(x, cols, erase);
                case 1 -> line.clear(0, x + 1, erase);
                case 2 -> line.clear(0, cols, erase);
                default -> {
                }
            }
        }
        buf.wrapPending = false;
    }

    private void eraseChars(int n) {
        int x = Math.min(buf.x, cols - 1);
        buf.lines[buf.y].clear(x, x + n, Style.eraseOf(style));
        buf.wrapPending = false;
    }

    private void insertCells(Line line, int x, int n) {
        n = Math.min(n, cols - x);
        if (line.ch[x] == Line.WIDE_TAIL) {
            if (x > 0) line.ch[x - 1] = 0;
            line.ch[x] = 0;
        }
        System.arraycopy(line.ch, x, line.ch, x + n, cols - x - n);
        System.arraycopy(line.style, x, line.style, x + n, cols - x - n);
        if (line.ch[cols - 1] > 0 && CharWidth.of(line.ch[cols - 1]) == 2) line.ch[cols - 1] = 0;
        Arrays.fill(line.ch, x, x + n, 0);
        Arrays.fill(line.style, x, x + n, Style.eraseOf(style));
    }

    private void insertChars(int n) {
        int x = Math.min(buf.x, cols - 1);
        Line line = buf.lines[buf.y];
        if (line.ch[x] == Line.WIDE_TAIL && x > 0) {
            line.ch[x - 1] = 0;
            line.ch[x] = 0;
        }
        insertCells(line, x, n);
        buf.wrapPending = false;
    }

    private void deleteChars(int n) {
        int x = Math.min(buf.x, cols - 1);
        Line line = buf.lines[buf.y];
        n = Math.min(n, cols - x);
        if (line.ch[x] == Line.WIDE_TAIL && x > 0) line.ch[x - 1] = 0;
        System.arraycopy(line.ch, x + n, line.ch, x, cols - x - n);
        System.arraycopy(line.style, x + n, line.style, x, cols - x - n);
        Arrays.fill(line.ch, cols - n, cols, 0);
        Arrays.fill(line.style, cols - n, cols, Style.eraseOf(style));
        if (line.ch[x] == Line.WIDE_TAIL) line.ch[x] = 0;
        buf.wrapPending = false;
    }

    private void insertLines(int n) {
        if (buf.y < top || buf.y > bottom) return;
        n = Math.min(n, bottom - buf.y + 1);
        long erase = Style.eraseOf(style);
        for (int i = 0; i < n; i++) {
            System.arraycopy(buf.lines, buf.y, buf.lines, buf.y + 1, bottom - buf.y);
            buf.lines[buf.y] = new Line(cols, erase);
        }
        buf.x = 0;
        buf.wrapPending = false;
    }

    private void deleteLines(int n) {
        if (buf.y < top || buf.y > bottom) return;
        n = Math.min(n, bottom - buf.y + 1);
        long erase = Style.eraseOf(style);
        for (int i = 0; i < n; i++) {
            System.arraycopy(buf.lines, buf.y + 1, buf.lines, buf.y, bottom - buf.y);
            buf.lines[bottom] = new Line(cols, erase);
        }
        buf.x = 0;
        buf.wrapPending = false;
    }

    private void saveCursor() {
        Saved s = new Saved();
        s.x = buf.x;
        s.y = buf.y;
        s.style = style;
        s.origin = originMode;
        s.wrapPending = buf.wrapPending;
        s.g0 = g0;
        s.g1 = g1;
        s.gl = gl;
        buf.saved = s;
    }

    private void restoreCursor() {
        Saved s = buf.saved;
        if (s == null) {
            buf.x = 0;
            buf.y = 0;
            style = Style.DEFAULT;
            originMode = false;
            buf.wrapPending = false;
            g0 = g1 = gl = 0;
            return;
        }
        buf.x = Math.min(s.x, cols - 1);
        buf.y = Math.min(s.y, rows - 1);
        style = s.style;
        originMode = s.origin;
        if (originMode) buf.y = clamp(buf.y, top, bottom);
        buf.wrapPending = s.wrapPending && buf.x == cols - 1;
        g0 = s.g0;
        g1 = s.g1;
        gl = s.gl;
    }

    private void softReset() {
        cursorVisible = true;
        originMode = false;
        autowrap = true;
        insertMode = false;
        appCursorKeys = false;
        appKeypad = false;
        top = 0;
        bottom = rows - 1;
        style = Style.DEFAULT;
        g0 = g1 = gl = 0;
        main.saved = null;
        alt.saved = null;
    }

    /** RIS: back to the power-on state (keeps the size; clears scrollback like xterm.js). */
    public void reset() {
        settle();
        softReset();
        scrollback.clear();
        main.lines = blankLines(rows, 0);
        alt.lines = blankLines(rows, 0);
        main.x = main.y = alt.x = alt.y = 0;
        main.wrapPending = alt.wrapPending = false;
        buf = main;
        altActive = false;
        newlineMode = false;
        bracketedPaste = false;
        reverseVideo = false;
        focusEvents = false;
        mouseTracking = 0;
        mouseEncoding = 0;
        cursorStyle = 0;
        tabs = defaultTabs(cols);
        title = "";
        state = GROUND;
        utf8Need = 0;
    }

    // ------------------------------------------------------------------ resize

    /** Changes the size; lines are cut or padded (no reflow), rows leave through the top into scrollback. */
    public void resize(int newCols, int newRows) {
        if (newCols < 1 || newRows < 1) throw new IllegalArgumentException("terminal size must be at least 1x1");
        settle();
        if (newCols == cols && newRows == rows) return;
        for (Buffer b : new Buffer[]{main, alt}) {
            List<Line> lines = new ArrayList<>(Arrays.asList(b.lines));
            for (Line l : lines) l.resize(newCols);
            // shrinking: drop rows from the top while the cursor would fall off, else from the bottom
            while (lines.size() > newRows) {
                if (b.y > 0 && b.y >= newRows) {
                    Line gone = lines.remove(0);
                    if (b == main && scrollbackLimit > 0) scrollback.addLast(gone);
                    b.y--;
                } else {
                    lines.remove(lines.size() - 1);
                }
            }
            while (lines.size() < newRows) lines.add(new Line(newCols, 0));
            b.lines = lines.toArray(new Line[0]);
            b.x = Math.min(b.x, newCols - 1);
            b.y = Math.min(b.y, newRows - 1);
            b.wrapPending = false;
            if (b.saved != null) {
                b.saved.x = Math.min(b.saved.x, newCols - 1);
                b.saved.y = Math.min(b.saved.y, newRows - 1);
            }
        }
        for (Line l : scrollback) l.resize(newCols);
        while (scrollback.size() > scrollbackLimit) scrollback.removeFirst();
        boolean[] t = defaultTabs(newCols);
        System.arraycopy(tabs, 0, t, 0, Math.min(tabs.length, newCols));
        tabs = t;
        cols = newCols;
        rows = newRows;
        top = 0;
        bottom = rows - 1;
    }

    // ------------------------------------------------------------------ snapshot

    /**
     * Bytes that, written into a fresh terminal of the same size (xterm.js or another VtEmulator), reproduce this
     * state: scrollback, both screens, cursor, rendition, scroll region, tab stops, saved cursor and modes.
     */
    public byte[] snapshot() {
        settle();
        Utf8Out o = new Utf8Out((scrollback.size() + rows) * (cols + 8) + 256);
        o.append("\u001bc"); // RIS
        // main buffer: scrollback and screen written as a stream so that the top lines scroll into history
        List<Line> history = new ArrayList<>(scrollback);
        history.addAll(Arrays.asList(main.lines));
        int last = history.size() - 1;
        // trailing empty lines of the main screen need not be written, but the rows above them must be placed
        boolean continues = false; // the previous line was written up to its last column and wraps into this one
        for (int i = 0; i <= last; i++) {
            Line l = history.get(i);
            int end = l.contentEnd();
            if (i > 0 && !(continues && l.wrapped && end > 0)) o.append("\u001b[0m\r\n");
            continues = i < last && history.get(i + 1).wrapped && history.get(i + 1).contentEnd() > 0;
            writeCells(o, l, 0, continues ? cols : end);
        }
        o.append("\u001b[0m");
        if (main.saved != null) appendSaved(o, main.saved);
        if (altActive) {
            Buffer b = main;
            // place the main cursor as it was when the alternate screen was entered, then enter it
            o.append("\u001b[").append(b.y + 1).append(';').append(b.x + 1).append('H');
            o.append("\u001b[?1047h");
            for (int y = 0; y < rows; y++) {
                Line l = alt.lines[y];
                int end = l.contentEnd();
                if (end == 0) continue;
                o.append("\u001b[").append(y + 1).append(";1H");
                writeCells(o, l, 0, end);
                o.append("\u001b[0m");
            }
            if (alt.saved != null) appendSaved(o, alt.saved);
        }
        // tab stops
        if (!Arrays.equals(tabs, defaultTabs(cols))) {
            o.append("\u001b[3g");
            for (int x = 0; x < cols; x++) {
                if (tabs[x]) o.append("\u001b[1;").append(x + 1).append("H\u001bH");
            }
        }
        if (top != 0 || bottom != rows - 1) o.append("\u001b[").append(top + 1).append(';').append(bottom + 1).append('r');
        // cursor (relative to the region under DECOM); a pending wrap is recreated by rewriting the last cell
        if (originMode) o.append("\u001b[?6h");
        int rowParam = originMode ? buf.y - top + 1 : buf.y + 1;
        Line cur = buf.lines[buf.y];
        if (buf.wrapPending && autowrap) {
            int x = cols - 1;
            if (cur.ch[x] == Line.WIDE_TAIL && x > 0) x--;
            o.append("\u001b[").append(rowParam).append(';').append(x + 1).append('H');
            writeCells(o, cur, x, cols);
        } else {
            o.append("\u001b[").append(rowParam).append(';').append(buf.x + 1).append('H');
        }
        // modes
        if (!autowrap) o.append("\u001b[?7l");
        if (!cursorVisible) o.append("\u001b[?25l");
        if (appCursorKeys) o.append("\u001b[?1h");
        if (reverseVideo) o.append("\u001b[?5h");
        if (bracketedPaste) o.append("\u001b[?2004h");
        if (focusEvents) o.append("\u001b[?1004h");
        if (mouseTracking != 0) o.append("\u001b[?").append(mouseTracking).append('h');
        if (mouseEncoding != 0) o.append("\u001b[?").append(mouseEncoding).append('h');
        if (insertMode) o.append("\u001b[4h");
        if (newlineMode) o.append("\u001b[20h");
        if (appKeypad) o.append("\u001b=");
        if (cursorStyle != 0) o.append("\u001b[").append(cursorStyle).append(" q");
        if (g1 == 1) o.append("\u001b)0");
        if (g0 == 1) o.append("\u001b(0");
        if (gl == 1) o.append('\u000e');
        if (!title.isEmpty()) o.append("\u001b]2;").append(title.replace('\u0007', ' ').replace('\u001b', ' ')).append('\u0007');
        o.append("\u001b[").append(Style.sgr(style)).append('m');
        return o.toByteArray();
    }

    private void appendSaved(Utf8Out o, Saved s) {
        o.append("\u001b[").append(s.y + 1).append(';').append(s.x + 1).append('H');
        o.append("\u001b[").append(Style.sgr(s.style)).append('m');
        if (s.g0 == 1) o.append("\u001b(0");
        if (s.g1 == 1) o.append("\u001b)0");
        if (s.gl == 1) o.append('\u000e');
        if (s.origin) o.append("\u001b[?6h\u001b[").append(s.y + 1).append(';').append(s.x + 1).append('H');
        o.append("\u001b7");
        if (s.origin) o.append("\u001b[?6l");
        if (s.gl == 1) o.append('\u000f');
        o.append("\u001b(B\u001b)B\u001b[0m");
    }

    private static void writeCells(Utf8Out o, Line l, int from, int to) {
        long cur = -1;
        if (from < to && sameStyle(l.style, from, to)) {
            // the common line: one rendition throughout; ASCII text goes out in one pass
            cur = l.style[from];
            o.append("\u001b[").append(Style.sgr(cur)).append('m');
            if (o.appendAsciiCells(l.ch, from, to)) return;
        }
        for (int x = from; x < to; x++) {
            int c = l.ch[x];
            if (c == Line.WIDE_TAIL) continue;
            if (l.style[x] != cur) {
                cur = l.style[x];
                o.append("\u001b[").append(Style.sgr(cur)).append('m');
            }
            if (c == 0) o.append(' ');
            else o.appendCodePoint(c);
        }
    }

    private static boolean sameStyle(long[] style, int from, int to) {
        long s = style[from];
        for (int x = from + 1; x < to; x++) if (style[x] != s) return false;
        return true;
    }

    // ------------------------------------------------------------------ inspection

    /** The text of a visible row of the active screen, trailing blanks trimmed. */
    public String rowText(int y) {
        settle();
        return lineText(buf.lines[y]);
    }

    /** The visible screen as text, one row per line. */
    public String screenText() {
        StringBuilder b = new StringBuilder();
        for (int y = 0; y < rows; y++) b.append(rowText(y)).append('\n');
        return b.toString();
    }

    private static String lineText(Line l) {
        StringBuilder b = new StringBuilder();
        for (int x = 0; x < l.cols(); x++) {
            int c = l.ch[x];
            if (c == Line.WIDE_TAIL) continue;
            b.appendCodePoint(c == 0 ? ' ' : c);
        }
        int n = b.length();
        while (n > 0 && b.charAt(n - 1) == ' ') n--;
        b.setLength(n);
        return b.toString();
    }

    /**
     * Everything a viewer could observe, as text: both screens cell by cell with renditions, scrollback, cursor,
     * modes. Two emulators that render the same are equal here (used to compare a snapshot with its source).
     */
    public String stateDump() {
        settle();
        StringBuilder b = new StringBuilder();
        b.append("size ").append(cols).append('x').append(rows).append(" alt=").append(altActive).append('\n');
        b.append("cursor ").append(buf.x).append(',').append(buf.y).append(" pending=").append(buf.wrapPending)
                .append(" visible=").append(cursorVisible).append(" style=").append(Style.sgr(style)).append('\n');
        b.append("region ").append(top).append('-').append(bottom).append(" origin=").append(originMode)
                .append(" autowrap=").append(autowrap).append(" insert=").append(insertMode).append(" lnm=").append(newlineMode).append('\n');
        b.append("keys appCursor=").append(appCursorKeys).append(" appKeypad=").append(appKeypad)
                .append(" bracketedPaste=").append(bracketedPaste).append(" focus=").append(focusEvents)
                .append(" mouse=").append(mouseTracking).append('/').append(mouseEncoding)
                .append(" reverse=").append(reverseVideo).append(" cursorStyle=").append(cursorStyle)
                .append(" charsets=").append(g0).append(g1).append(gl).append('\n');
        b.append("title ").append(title).append('\n');
        b.append("tabs ");
        for (int x = 0; x < cols; x++) if (tabs[x]) b.append(x).append(' ');
        b.append('\n');
        appendSavedDump(b, "main.saved", main.saved);
        if (altActive) {
            b.append("main.cursor ").append(main.x).append(',').append(main.y).append('\n');
            appendSavedDump(b, "alt.saved", alt.saved);
        }
        b.append("scrollback ").append(scrollback.size()).append('\n');
        for (Line l : scrollback) dumpLine(b, l);
        b.append("main\n");
        for (Line l : main.lines) dumpLine(b, l);
        if (altActive) {
            b.append("alt\n");
            for (Line l : alt.lines) dumpLine(b, l);
        }
        return b.toString();
    }

    private static void appendSavedDump(StringBuilder b, String name, Saved s) {
        if (s == null) return;
        b.append(name).append(' ').append(s.x).append(',').append(s.y).append(" style=").append(Style.sgr(s.style))
                .append(" origin=").append(s.origin).append(" charsets=").append(s.g0).append(s.g1).append(s.gl).append('\n');
    }

    private static void dumpLine(StringBuilder b, Line l) {
        b.append('|').append(lineText(l)).append('|');
        long cur = 0;
        int end = l.contentEnd();
        for (int x = 0; x < end; x++) {
            if (l.style[x] != cur) {
                cur = l.style[x];
                b.append(' ').append(x).append(':').append(Style.sgr(cur));
            }
        }
        b.append('\n');
    }
}
