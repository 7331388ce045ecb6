package dev.berth.engine.image;

import java.util.List;

/**
 * One line of the image list.
 *
 * @param id          image id ({@code sha256:...} of the config)
 * @param tags        normalised {@code name:tag} references pointing at it
 * @param repoDigests {@code name@sha256:...} as pulled
 * @param size        sum of the layers' transferred sizes in bytes
 * @param created     image creation time from its config (RFC 3339), empty if unknown
 */
public record ImageSummary(String id, List<String> tags, List<String> repoDigests, long size, String created) {
}
