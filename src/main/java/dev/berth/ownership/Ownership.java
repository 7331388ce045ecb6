package dev.berth.ownership;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.All;

/**
 * Decides what a person may do with an owned object: admins control everything, owners control their own,
 * everyone signed in reads host-wide objects, and every {@link ResourceAccessRule} bean may add more (grants,
 * trainers). Nobody else gets anything: the web layer then answers 404 as if the object did not exist.
 */
@ApplicationScoped
public class Ownership {
    @Inject
    @All
    List<ResourceAccessRule> rules;

    public Access access(Requester who, OwnedResource resource) {
        if (who == null || who.name() == null || who.name().isEmpty()) {
            return Access.NONE;
        }
        if (who.admin() || who.name().equals(resource.owner())) {
            return Access.CONTROL;
        }
        Access best = resource.hostWide() ? Access.READ : Access.NONE;
        for (ResourceAccessRule rule : rules) {
            Access a = rule.accessTo(who, resource);
            if (a != null) {
                best = Access.strongest(best, a);
            }
            if (best == Access.CONTROL) {
                break;
            }
        }
        return best;
    }

    public boolean mayRead(Requester who, OwnedResource resource) {
        return access(who, resource).atLeast(Access.READ);
    }

    public boolean mayControl(Requester who, OwnedResource resource) {
        return access(who, resource) == Access.CONTROL;
    }
}
