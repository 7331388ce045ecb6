package dev.berth.engine.image;

import java.util.List;

/**
 * What the content store's index knows about one local image. Blobs live under {@code blobs/sha256/}, layers
 * under {@code layers/<diffid hex>/}.
 *
 * @param id             config digest (the image id)
 * @param manifestDigest digest of the stored image manifest (single-platform)
 * @param repoDigests    {@code name@digest} entries the image was pulled as (digest of what the registry served
 *                       for the tag: a manifest or an index)
 * @param layers         layers base first
 * @param created        when it was stored locally (epoch millis)
 */
public record ImageRecord(String id, String manifestDigest, List<String> repoDigests, List<Layer> layers,
                          long created) {

    /**
     * @param digest    digest of the blob as stored/transferred (compressed)
     * @param mediaType its media type
     * @param size      blob size in bytes
     * @param diffId    digest of the uncompressed tar, names the unpacked directory
     */
    public record Layer(String digest, String mediaType, long size, String diffId) {
    }
}
