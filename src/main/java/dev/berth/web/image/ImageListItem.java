package dev.berth.web.image;

import java.util.List;

/**
 * One image of the console's list: the engine's summary plus the containers created from it.
 *
 * @param id           image id ({@code sha256:...})
 * @param tags         normalised {@code name:tag} references (empty for a dangling image)
 * @param repoDigests  {@code name@sha256:...} as pulled
 * @param size         bytes of its layers as stored
 * @param created      creation time from the image config (RFC 3339), empty if unknown
 * @param usedBy       containers created from it that the caller may see
 * @param usedByOthers how many more containers use it that the caller may not see (other users' containers)
 */
public record ImageListItem(String id, List<String> tags, List<String> repoDigests, long size, String created,
                            List<ContainerRef> usedBy, int usedByOthers) {

    /** A container using an image: its id and name. */
    public record ContainerRef(String id, String name) {
    }
}
