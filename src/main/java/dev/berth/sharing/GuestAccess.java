package dev.berth.sharing;

import java.time.Instant;

/** What a guest session reaches: one terminal, with the link's role, until it expires or is ended. */
public record GuestAccess(long guestId, String principal, String displayName, long linkId, String terminalId,
        ShareRole role, Instant expiresAt) {

    static GuestAccess of(GuestSession s) {
        return new GuestAccess(s.id, s.principal(), s.displayName, s.link.id, s.link.terminalId,
                ShareRole.fromWire(s.link.role), s.expiresAt);
    }
}
