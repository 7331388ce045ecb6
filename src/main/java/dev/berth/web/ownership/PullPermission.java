package dev.berth.web.ownership;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.account.User;
import dev.berth.ownership.Requester;
import dev.berth.web.ApiException;

/**
 * Images are host-wide: pulling, importing, tagging and removing one changes what everybody has, so it needs the
 * {@code pull} permission: admins always, users when their account's {@code mayPull} is set (the default).
 */
@ApplicationScoped
public class PullPermission {
    @Inject
    AccessGuard access;

    public boolean allowed(Requester who) {
        return who.admin() || (who.name() != null && User.findByUsername(who.name()).map(u -> u.mayPull && !u.disabled).orElse(false));
    }

    /** 403 {@code forbidden} naming the permission and the action unless the caller may pull. */
    public void require(String action) {
        if (!allowed(access.requester())) {
            throw new ApiException(403, "forbidden", "You may not " + action + " images: your account lacks the 'pull' "
                    + "permission (mayPull). Ask an administrator to allow it in Users.", "mayPull");
        }
    }
}
