package dev.berth.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** Authentication by the {@code berth_guest} cookie of a guest who joined through a share link. */
public final class GuestTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public GuestTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
