package dev.berth.engine.image;

import java.util.List;

/**
 * Everything {@code inspect} shows about a local image.
 *
 * @param id             image id
 * @param tags           normalised name:tag references
 * @param repoDigests    name@digest references
 * @param manifestDigest digest of the platform manifest
 * @param created        creation time from the config
 * @param os             e.g. linux
 * @param architecture   e.g. amd64
 * @param author         author from the config, empty if none
 * @param config         run-time defaults
 * @param history        build history, oldest first
 * @param layers         layers, base first
 * @param size           sum of the layer blob sizes
 */
public record ImageDetails(String id, List<String> tags, List<String> repoDigests, String manifestDigest,
                           String created, String os, String architecture, String author, ImageConfig config,
                           List<History> history, List<ImageRecord.Layer> layers, long size) {

    public record History(String created, String createdBy, String comment, boolean emptyLayer) {
    }
}
