package dev.berth.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** Authentication by a personal API token ({@code Authorization: Bearer berth_...}). */
public final class ApiTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public ApiTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
