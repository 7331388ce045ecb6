package dev.berth.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** Authentication by the {@code berth_session} cookie. */
public final class SessionTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public SessionTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
