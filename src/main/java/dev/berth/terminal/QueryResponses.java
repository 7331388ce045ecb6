package dev.berth.terminal;

import java.util.regex.Pattern;

/**
 * Recognises input that is a terminal's automatic answer to a query (DA1/DA2, cursor position report, OSC colour
 * replies, DCS replies, focus reports) rather than something a person typed. When several browsers show one PTY,
 * each one's xterm answers the program's queries; only the active driver's answers may reach the PTY.
 */
public final class QueryResponses {
    private static final Pattern RESPONSES = Pattern.compile(
            "(?:\u001b\\[[?>][0-9;]*c"                       // DA1 / DA2
                    + "|\u001b\\[\\??[0-9]+;[0-9]+R"          // CPR / DECXCPR
                    + "|\u001b\\[[0-9]*n"                    // DSR status
                    + "|\u001b\\][0-9]+;[^\u0007\u001b]*(?:\u0007|\u001b\\\\)" // OSC replies (10/11/12/4)
                    + "|\u001bP[^\u001b]*\u001b\\\\"           // DCS replies (DECRQSS, XTVERSION)
                    + "|\u001b\\[\\?[0-9;]*\\$y"              // DECRQM replies
                    + "|\u001b\\[[IO])+");                   // focus in / out

    private QueryResponses() {
    }

    public static boolean isResponse(byte[] input) {
        if (input.length < 3 || input[0] != 0x1B) return false;
        return RESPONSES.matcher(new String(input, java.nio.charset.StandardCharsets.ISO_8859_1)).matches();
    }
}
