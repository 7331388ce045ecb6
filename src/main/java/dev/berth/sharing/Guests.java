package dev.berth.sharing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How guests (people who joined through a share link) are named and recognised. */
public final class Guests {
    /** The security role of a guest identity. */
    public static final String ROLE = "guest";
    /** The guest session cookie (next to the login session's {@code berth_session}). */
    public static final String COOKIE = "berth_guest";
    /** Identity attribute: Long, the guest session id. */
    public static final String GUEST_ID = "berth.guest-id";
    /** Identity attribute: String, the one terminal the guest may reach. */
    public static final String TERMINAL_ID = "berth.guest-terminal";

    private static final Pattern PRINCIPAL = Pattern.compile("^guest:.*#(\\d{1,18})$", Pattern.DOTALL);

    private Guests() {
    }

    /** {@code guest:<displayName>#<sessionId>}: unique, and never a username (usernames have no colon). */
    public static String principal(String displayName, long sessionId) {
        return "guest:" + displayName + "#" + sessionId;
    }

    /** The guest session id in a guest principal name, or -1 if {@code principal} is not one. */
    public static long sessionIdOf(String principal) {
        if (principal == null) return -1;
        Matcher m = PRINCIPAL.matcher(principal);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
