package dev.berth.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.berth.account.SessionService;

/** The name and attributes of the session cookie, and the CSRF token derived from it. */
public final class SessionCookie {
    public static final String NAME = "berth_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookie() {
    }

    /** See {@link SessionService#csrfTokenFor(String)}. */
    public static String csrfTokenFor(String sessionToken) {
        return SessionService.csrfTokenFor(sessionToken);
    }

    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
