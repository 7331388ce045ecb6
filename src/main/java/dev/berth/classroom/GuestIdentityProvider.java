package dev.berth.classroom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.auth.BerthPrincipal;
import dev.berth.auth.SessionCookie;
import dev.berth.auth.SessionTokenRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Resolves a class guest's session cookie (token prefix {@code bg_}) to the guest: principal
 * {@code guest:<name>#<n>}, role {@code guest}. Asked before the account sessions' provider; other tokens pass on
 * to it (a null identity moves Quarkus to the next provider).
 */
@ApplicationScoped
public class GuestIdentityProvider implements IdentityProvider<SessionTokenRequest> {
    /** Long: the class a guest belongs to. */
    public static final String CLASS_ID = "berth.guest-class";

    @Inject
    GuestSessions guests;

    @Override
    public Class<SessionTokenRequest> getRequestType() {
        return SessionTokenRequest.class;
    }

    /** Before the account sessions' provider (the default priority is 1001; higher goes first). */
    @Override
    public int priority() {
        return 2000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionTokenRequest request, AuthenticationRequestContext context) {
        if (!GuestSessions.isGuestToken(request.token())) {
            return Uni.createFrom().nullItem();
        }
        return context.runBlocking(() -> guests.lookup(request.token())
                .map(g -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(g.principal()))
                        .addRole("guest")
                        .addAttribute(BerthPrincipal.DISPLAY_NAME, g.displayName)
                        .addAttribute(BerthPrincipal.CSRF_TOKEN, SessionCookie.csrfTokenFor(request.token()))
                        .addAttribute(BerthPrincipal.MUST_CHANGE_PASSWORD, false)
                        .addAttribute(CLASS_ID, g.classId)
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("Guest session expired or unknown")));
    }
}
