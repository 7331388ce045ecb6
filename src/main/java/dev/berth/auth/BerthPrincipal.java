package dev.berth.auth;

/** Attribute names Berth puts on a {@link io.quarkus.security.identity.SecurityIdentity}. */
public final class BerthPrincipal {
    /** Long: the account id. */
    public static final String USER_ID = "berth.user-id";
    /** Long: the login session id, absent for HTTP Basic. */
    public static final String SESSION_ID = "berth.session-id";
    /** Long: the personal API token's id, present only when the request authenticated with one. */
    public static final String API_TOKEN_ID = "berth.api-token-id";
    /** String: the session's CSRF token, absent for HTTP Basic. */
    public static final String CSRF_TOKEN = "berth.csrf";
    /** String: the account's display name. */
    public static final String DISPLAY_NAME = "berth.display-name";
    /** Boolean: whether the account must change its password. */
    public static final String MUST_CHANGE_PASSWORD = "berth.must-change-password";

    private BerthPrincipal() {
    }
}
