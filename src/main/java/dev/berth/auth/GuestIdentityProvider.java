package dev.berth.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.sharing.GuestAccess;
import dev.berth.sharing.Guests;
import dev.berth.sharing.LinkService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Resolves a guest cookie to its guest identity: principal {@code guest:<name>#<n>}, role {@code guest}. */
@ApplicationScoped
public class GuestIdentityProvider implements IdentityProvider<GuestTokenRequest> {
    @Inject
    LinkService links;

    @Override
    public Class<GuestTokenRequest> getRequestType() {
        return GuestTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(GuestTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> links.guestByToken(request.token())
                .map(GuestIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("Guest session ended or unknown")));
    }

    static SecurityIdentity identity(GuestAccess g) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(g.principal()))
                .addRole(Guests.ROLE)
                .addAttribute(Guests.GUEST_ID, g.guestId())
                .addAttribute(Guests.TERMINAL_ID, g.terminalId())
                .addAttribute(BerthPrincipal.DISPLAY_NAME, g.displayName())
                .addAttribute(BerthPrincipal.MUST_CHANGE_PASSWORD, false)
                .build();
    }
}
