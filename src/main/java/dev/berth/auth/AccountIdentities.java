package dev.berth.auth;

import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.security.identity.SecurityIdentity;

import dev.berth.account.Session;
import dev.berth.account.User;

/** Builds the security identity of an account. */
final class AccountIdentities {
    private AccountIdentities() {
    }

    static SecurityIdentity of(User user, Session session) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.username))
                .addRole(user.role.id())
                .addAttribute(BerthPrincipal.USER_ID, user.id)
                .addAttribute(BerthPrincipal.DISPLAY_NAME, user.displayName)
                .addAttribute(BerthPrincipal.MUST_CHANGE_PASSWORD, user.mustChangePassword);
        if (session != null) {
            b.addAttribute(BerthPrincipal.SESSION_ID, session.id);
            b.addAttribute(BerthPrincipal.CSRF_TOKEN, session.csrfToken);
        }
        return b.build();
    }
}
