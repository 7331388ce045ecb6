package dev.berth.web.sharing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.berth.classroom.GuestSessions;
import dev.berth.engine.event.EngineEvents;
import dev.berth.sharing.GrantService;
import dev.berth.sharing.Guests;
import dev.berth.sharing.LinkService;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps sharing tidy: a removed container's grants go with it (so a later container can't inherit them), and a
 * guest whose session expired is disconnected (close code 4401) within half a minute. Both kinds of guest share
 * the principal shape {@code guest:<name>#<id>} with ids from different tables: a connection stays while its
 * principal is exactly a live share-link guest's or a live class attendee's.
 */
@ApplicationScoped
public class SharingHousekeeping {
    /** WebSocket close code for "your session ended", as for login sessions. */
    static final int SESSION_ENDED = 4401;
    private static final Logger LOG = Logger.getLogger(SharingHousekeeping.class);

    @Inject
    GrantService grants;
    @Inject
    LinkService links;
    @Inject
    TerminalRegistry registry;
    @Inject
    GuestSessions classGuests;

    void subscribe(@Observes StartupEvent start, EngineEvents events) {
        events.subscribe(e -> {
            if ("container".equals(e.type()) && "destroy".equals(e.action())) {
                try {
                    grants.forgetContainer(e.id());
                } catch (RuntimeException ex) {
                    LOG.warnf(ex, "Could not remove the grants of removed container %s", e.id());
                }
            }
        });
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepGuests() {
        disconnectExpiredGuests();
    }

    /** Closes the terminal sockets of guests whose session ended; returns how many. */
    public int disconnectExpiredGuests() {
        return registry.disconnect(c -> {
            long id = Guests.sessionIdOf(c.user());
            if (id < 0) return false;
            boolean linkGuest = links.guest(id).filter(g -> g.principal().equals(c.user())).isPresent();
            return !linkGuest && !classGuests.isLive(id, c.user());
        }, SESSION_ENDED, "your guest session expired: open the link again");
    }
}
