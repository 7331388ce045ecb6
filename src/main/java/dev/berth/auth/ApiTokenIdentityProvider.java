package dev.berth.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.account.ApiTokenService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Resolves a personal API token to its owner's identity (same role; no session, so no CSRF token). */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {
    @Inject
    ApiTokenService tokens;

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> tokens.lookup(request.token())
                .map(t -> (SecurityIdentity) QuarkusSecurityIdentity.builder(AccountIdentities.of(t.user, null))
                        .addAttribute(BerthPrincipal.API_TOKEN_ID, t.id).build())
                .orElseThrow(() -> new AuthenticationFailedException("API token unknown, revoked or expired")));
    }
}
