package dev.berth.sharing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.ownership.Access;
import dev.berth.ownership.OwnedResource;
import dev.berth.ownership.Requester;
import dev.berth.ownership.ResourceAccessRule;
import dev.berth.ownership.ResourceKind;

/**
 * A user holding a grant on a container's terminals sees that container (READ: in lists, inspect, logs, stats, and
 * open its TTY terminal). Driving its terminals is the grant's business; changing the container stays its owner's.
 */
@ApplicationScoped
public class GrantResourceRule implements ResourceAccessRule {
    @Inject
    GrantService grants;

    @Override
    public Access accessTo(Requester who, OwnedResource resource) {
        if (resource.kind() != ResourceKind.CONTAINER || who.roles().contains(Guests.ROLE)) return Access.NONE;
        return grants.hasGrant(resource.id(), who.name()) ? Access.READ : Access.NONE;
    }
}
