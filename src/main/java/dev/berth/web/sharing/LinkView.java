package dev.berth.web.sharing;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.berth.sharing.ShareLink;

/**
 * A share link as the REST API shows it. {@code url} and {@code path} carry the secret token and are present only
 * in the answer to its creation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkView(long id, String terminalId, String url, String path, String role, Instant createdAt,
        Instant expiresAt, Integer maxUses, int uses, String createdBy, Instant revokedAt, String state) {

    static LinkView of(ShareLink l, String url, String path) {
        return new LinkView(l.id, l.terminalId, url, path, l.role, l.createdAt, l.expiresAt, l.maxUses, l.uses, l.createdBy,
                l.revokedAt, l.state(Instant.now()).wire());
    }
}
