package dev.berth.account;

/** CDI event: a personal API token was revoked; live connections it opened must close. */
public record ApiTokenRevoked(long tokenId, String username) {
    /** How connections opened with a token name their "session" ({@code token:<id>}). */
    public String connectionSession() {
        return "token:" + tokenId;
    }

    public static String connectionSession(Object tokenId) {
        return "token:" + tokenId;
    }
}
