package dev.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.berth.engine.EngineException;

/**
 * The engine's images: what is stored locally and how it gets there. Entry point for adapters (REST, later the
 * Docker-compatible API) and for the containers part of the engine ({@link #resolve}).
 */
public final class ImageStore {
    private final ContentStore content;
    private final ImageUsage usage;
    private final ImagePuller puller;
    private final RegistryClient registry;

    public ImageStore(Path root, RegistrySettings settings, ImageUsage usage) {
        this.content = new ContentStore(root);
        this.usage = usage == null ? ImageUsage.NONE : usage;
        this.registry = new RegistryClient(settings);
        this.puller = new ImagePuller(content, registry, settings.parallelLayers());
    }

    public ContentStore content() {
        return content;
    }

    // ---- for the containers part of the engine ----

    /**
     * Resolves a local image by reference ({@code busybox}, {@code host:5000/app:1}, {@code name@sha256:...}) or
     * by id ({@code sha256:<hex>}, or a unique hex prefix of at least 12 digits). Never contacts a registry.
     * Throws NOT_FOUND naming the reference when the image is not present locally.
     */
    public LocalImage resolve(String reference) {
        ImageRecord image = find(reference).orElseThrow(() -> notFound(reference));
        JsonNode config = ImageConfigs.parse(content.readBlob(image.id()), image.id());
        List<Path> dirs = new ArrayList<>();
        for (ImageRecord.Layer layer : image.layers()) {
            dirs.add(content.layerDir(layer.diffId()));
        }
        String ref = ImageReference.isImageId(reference) ? image.id() : ImageReference.parse(reference).toString();
        return new LocalImage(image.id(), ref, ImageConfigs.runConfig(config), List.copyOf(dirs));
    }

    /** The stored record for a reference or id, if present. */
    public Optional<ImageRecord> find(String reference) {
        ContentStore.Index index = content.index();
        if (ImageReference.isImageId(reference)) {
            String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
            List<ImageRecord> matches = index.images().values().stream()
                    .filter(i -> i.id().substring(7).startsWith(hex)).toList();
            if (matches.size() == 1) {
                return Optional.of(matches.get(0));
            }
            if (matches.size() > 1) {
                throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "ambiguous_image_id",
                        "Image id prefix '" + reference + "' matches " + matches.size() + " images; give more digits.");
            }
            if (reference.startsWith("sha256:") || hex.length() == 64) {
                return Optional.empty();
            }
        }
        ImageReference ref = ImageReference.parse(reference);
        if (ref.digest() != null) {
            String wanted = ref.name() + "@" + ref.digest();
            return index.images().values().stream()
                    .filter(i -> i.repoDigests().contains(wanted)
                            || (i.manifestDigest().equals(ref.digest()) && hasName(index, i, ref.name())))
                    .findFirst();
        }
        String id = index.tags().get(ref.taggedName());
        return Optional.ofNullable(id == null ? null : index.images().get(id));
    }

    private static boolean hasName(ContentStore.Index index, ImageRecord image, String name) {
        return index.tags().entrySet().stream()
                .anyMatch(e -> e.getValue().equals(image.id()) && e.getKey().startsWith(name + ":"));
    }

    // ---- operations ----

    public List<ImageSummary> list() {
        ContentStore.Index index = content.index();
        List<ImageSummary> out = new ArrayList<>();
        for (ImageRecord image : index.images().values()) {
            String created = "";
            try {
                created = ImageConfigs.parse(content.readBlob(image.id()), image.id()).path("created").asText("");
            } catch (EngineException ignored) {
                // a missing config shows as unknown creation time
            }
            out.add(new ImageSummary(image.id(), tagsOf(index, image.id()), image.repoDigests(), size(image), created));
        }
        out.sort(Comparator.comparing(ImageSummary::created).reversed());
        return out;
    }

    public ImageDetails inspect(String reference) {
        ImageRecord image = find(reference).orElseThrow(() -> notFound(reference));
        JsonNode config = ImageConfigs.parse(content.readBlob(image.id()), image.id());
        List<ImageDetails.History> history = new ArrayList<>();
        config.path("history").forEach(h -> history.add(new ImageDetails.History(h.path("created").asText(""),
                h.path("created_by").asText(""), h.path("comment").asText(""), h.path("empty_layer").asBoolean(false))));
        return new ImageDetails(image.id(), tagsOf(content.index(), image.id()), image.repoDigests(),
                image.manifestDigest(), config.path("created").asText(""), config.path("os").asText(""),
                config.path("architecture").asText(""), config.path("author").asText(""),
                ImageConfigs.runConfig(config), history, image.layers(), size(image));
    }

    /** Points {@code target} (a name:tag) at the image {@code source} names. */
    public void tag(String source, String target) {
        ImageRecord image = find(source).orElseThrow(() -> notFound(source));
        ImageReference t = ImageReference.parse(target);
        if (t.digest() != null) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_tag",
                    "Cannot tag with a digest reference '" + target + "': give name:tag.");
        }
        content.updateIndex(index -> index.tags().put(t.taggedName(), image.id()));
    }

    /**
     * What {@link #remove} did.
     *
     * @param untagged references removed
     * @param deleted  image ids deleted
     */
    public record RemoveResult(List<String> untagged, List<String> deleted) {
    }

    /**
     * Removes a tag, or the image when {@code reference} is an id or its last tag. Refuses (CONFLICT) while a
     * container uses the image unless {@code force}; forced, an image in use only loses its names (as in Docker),
     * so its containers keep their layers. Unreferenced blobs and layers are garbage collected.
     */
    public RemoveResult remove(String reference, boolean force) {
        ImageRecord image = find(reference).orElseThrow(() -> notFound(reference));
        List<String> untagged = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        boolean byId = ImageReference.isImageId(reference);
        List<String> tags = tagsOf(content.index(), image.id());
        boolean lastName = byId || tags.size() <= 1;
        if (byId && tags.size() > 1 && !force) {
            throw new EngineException(EngineException.Reason.CONFLICT, "image_has_tags",
                    "Image " + image.id() + " is tagged " + String.join(", ", tags)
                            + "; remove the tags one by one or force the removal.");
        }
        List<String> users = lastName ? usage.containersUsing(image.id()) : List.of();
        if (!users.isEmpty() && !force) {
            throw new EngineException(EngineException.Reason.CONFLICT, "image_in_use",
                    "Image " + reference + " (" + image.id() + ") is used by container(s) "
                            + String.join(", ", users) + "; remove them first or force the removal.");
        }
        // Forced while containers use it: like Docker, only the names go; the image stays (dangling, listed by id)
        // so those containers keep their root filesystem layers. It can be removed by id once they are gone.
        boolean untagOnly = lastName && !users.isEmpty();
        String tagName = byId ? null : ImageReference.parse(reference).taggedName();
        content.updateIndex(index -> {
            if (untagOnly) {
                index.tags().entrySet().removeIf(e -> {
                    if (e.getValue().equals(image.id())) {
                        untagged.add(e.getKey());
                        return true;
                    }
                    return false;
                });
            } else if (lastName) {
                index.tags().entrySet().removeIf(e -> {
                    if (e.getValue().equals(image.id())) {
                        untagged.add(e.getKey());
                        return true;
                    }
                    return false;
                });
                index.images().remove(image.id());
                deleted.add(image.id());
            } else if (tagName != null && index.tags().remove(tagName) != null) {
                untagged.add(tagName);
            } else {
                untagged.addAll(image.repoDigests());
            }
        });
        if (!deleted.isEmpty()) {
            content.collectGarbage();
        }
        return new RemoveResult(untagged, deleted);
    }

    /** Starts (or joins) a pull of {@code reference}; follow {@link ImagePull#events} or wait on {@link ImagePull#result}. */
    public ImagePull pull(String reference) {
        return puller.pull(ImageReference.parse(reference));
    }

    /** A pull that is running or finished recently, by its id. */
    public Optional<ImagePull> pullById(String id) {
        return puller.byId(id);
    }

    public List<ImagePull> pulls() {
        return puller.all();
    }

    /** Loads a {@code docker save} tarball or an OCI image layout tar; returns the references (or ids) loaded. */
    public List<String> importArchive(InputStream tar) {
        return new ImageArchives(content).importArchive(tar);
    }

    /** Writes the images as one tar that is both a {@code docker save} archive and an OCI image layout. */
    public void exportArchive(List<String> references, OutputStream out) throws IOException {
        List<ImageArchives.Named> images = new ArrayList<>();
        for (String r : references) {
            ImageRecord image = find(r).orElseThrow(() -> notFound(r));
            String name = ImageReference.isImageId(r) ? null : ImageReference.parse(r).taggedName();
            images.add(new ImageArchives.Named(image, name));
        }
        new ImageArchives(content).export(images, out);
    }

    /** Repositories of {@code registry} whose name contains {@code term}, from its catalog (/v2/_catalog). */
    public List<String> search(String registryHost, String term) {
        return registry.catalog(registryHost, term);
    }

    private static long size(ImageRecord image) {
        return image.layers().stream().mapToLong(ImageRecord.Layer::size).sum();
    }

    private static List<String> tagsOf(ContentStore.Index index, String id) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : index.tags().entrySet()) {
            if (e.getValue().equals(id)) {
                out.add(e.getKey());
            }
        }
        out.sort(null);
        return out;
    }

    static EngineException notFound(String reference) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "image_not_found",
                "Image '" + reference + "' is not present locally. Pull it first (or check the name).");
    }
}
