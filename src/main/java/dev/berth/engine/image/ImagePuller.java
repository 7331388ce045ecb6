package dev.berth.engine.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.berth.engine.EngineException;

/**
 * Pulls images: resolves the reference to a platform manifest, fetches the config, then downloads, verifies and
 * unpacks the layers in parallel, each in one streaming pass. Two pulls of the same reference share one
 * {@link ImagePull}; two pulls that need the same layer share its download.
 */
final class ImagePuller {
    private static final int MAX_CONFIG = 16 * 1024 * 1024;

    private final ContentStore content;
    private final RegistryClient registry;
    private final ExecutorService pullThreads;
    private final ExecutorService layerThreads;
    private final Map<String, ImagePull> active = new ConcurrentHashMap<>();
    private final Map<String, ImagePull> recent = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ImagePull> eldest) {
            return size() > 100;
        }
    });
    private final Map<String, LayerTask> layerTasks = new ConcurrentHashMap<>();
    private final LayerFetcher fetcher;

    /** A layer being fetched for one or more pulls; progress goes to every pull that waits on it. */
    static final class LayerTask {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<ImagePull> pulls = new CopyOnWriteArrayList<>();
        volatile ImagePull.Event last;
        final String digest;

        LayerTask(String digest) {
            this.digest = digest;
        }

        synchronized void join(ImagePull pull) {
            pulls.add(pull);
            if (last != null) {
                pull.layer(digest, last.status(), last.current(), last.total(), last.message());
            }
        }

        synchronized void report(String status, long current, long total, String message) {
            last = new ImagePull.Event(null, null, digest, status, current, total, message, null);
            for (ImagePull p : pulls) {
                p.layer(digest, status, current, total, message);
            }
        }
    }

    ImagePuller(ContentStore content, RegistryClient registry, int parallelLayers) {
        this.content = content;
        this.registry = registry;
        AtomicInteger n = new AtomicInteger();
        this.pullThreads = Executors.newCachedThreadPool(r -> daemon(r, "image-pull-" + n.incrementAndGet()));
        this.layerThreads = Executors.newFixedThreadPool(Math.max(1, parallelLayers),
                r -> daemon(r, "image-layer-" + n.incrementAndGet()));
        this.fetcher = new LayerFetcher(content, registry);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    ImagePull pull(ImageReference ref) {
        String key = ref.toString();
        ImagePull[] created = new ImagePull[1];
        ImagePull pull = active.computeIfAbsent(key, k -> {
            created[0] = new ImagePull(UUID.randomUUID().toString(), k);
            return created[0];
        });
        if (created[0] != null) {
            recent.put(pull.id(), pull);
            pullThreads.execute(() -> run(ref, pull));
        }
        return pull;
    }

    Optional<ImagePull> byId(String id) {
        return Optional.ofNullable(recent.get(id));
    }

    List<ImagePull> all() {
        synchronized (recent) {
            return new ArrayList<>(recent.values());
        }
    }

    private void run(ImageReference ref, ImagePull pull) {
        content.gcLock().readLock().lock();
        try {
            String id = pullImage(ref, pull);
            active.remove(ref.toString());
            pull.complete(id);
        } catch (EngineException e) {
            active.remove(ref.toString());
            pull.fail(e);
        } catch (RuntimeException e) {
            active.remove(ref.toString());
            pull.fail(new EngineException(EngineException.Reason.INTERNAL, "pull_failed",
                    "Pulling " + ref.familiar() + " failed unexpectedly: " + e + ".", e));
        } finally {
            content.gcLock().readLock().unlock();
        }
    }

    private String pullImage(ImageReference ref, ImagePull pull) {
        pull.status("resolving", "");
        RegistryClient.Manifest top = registry.manifest(ref, ref.manifestReference());
        String repoDigest = ref.name() + "@" + top.digest();
        RegistryClient.Manifest manifest = top;
        JsonNode json = parse(top.body(), ref);
        String type = mediaType(json, top.mediaType());
        if (type.equals(MediaTypes.OCI_INDEX) || type.equals(MediaTypes.DOCKER_LIST)) {
            String child = Platforms.select(json, registry, ref);
            manifest = registry.manifest(ref, child);
            json = parse(manifest.body(), ref);
            type = mediaType(json, manifest.mediaType());
        }
        if (!type.equals(MediaTypes.OCI_MANIFEST) && !type.equals(MediaTypes.DOCKER_MANIFEST)) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "unsupported_media_type",
                    "Image " + ref.familiar() + " uses manifest media type '" + type + "', which Berth does not "
                            + "support (it supports Docker schema 2 and OCI manifests and indexes).");
        }
        JsonNode configDesc = json.path("config");
        String configType = configDesc.path("mediaType").asText("");
        if (!MediaTypes.CONFIGS.contains(configType)) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "unsupported_media_type",
                    "Image " + ref.familiar() + " has a config of media type '" + configType
                            + "', which is not a container image config.");
        }
        String configDigest = configDesc.path("digest").asText();
        Digests.hex(configDigest);
        List<ImageRecord.Layer> layers = new ArrayList<>();
        JsonNode config = ImageConfigs.parse(fetchConfig(ref, configDigest, configDesc.path("size").asLong(-1)), configDigest);
        List<String> diffIds = ImageConfigs.diffIds(config, configDigest);
        JsonNode layerDescs = json.path("layers");
        if (layerDescs.size() != diffIds.size()) {
            throw new EngineException(EngineException.Reason.INTEGRITY, "layer_count_mismatch",
                    "Image " + ref.familiar() + " lists " + layerDescs.size() + " layers but its config has "
                            + diffIds.size() + " diff ids; the image is broken.");
        }
        for (int i = 0; i < layerDescs.size(); i++) {
            JsonNode d = layerDescs.get(i);
            String lt = d.path("mediaType").asText("");
            if (!MediaTypes.LAYERS.contains(lt)) {
                throw new EngineException(EngineException.Reason.UNSUPPORTED, "unsupported_media_type",
                        "Layer " + d.path("digest").asText() + " of " + ref.familiar() + " has media type '" + lt
                                + "', which Berth cannot unpack (it supports tar, tar+gzip and tar+zstd layers).");
            }
            String digest = d.path("digest").asText();
            Digests.hex(digest);
            Digests.hex(diffIds.get(i));
            layers.add(new ImageRecord.Layer(digest, lt, d.path("size").asLong(0), diffIds.get(i)));
        }
        pull.status("pulling", layers.size() + " layers");
        for (ImageRecord.Layer l : layers) {
            pull.layer(l.digest(), "waiting", 0, l.size(), "");
        }
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (ImageRecord.Layer l : layers) {
            futures.add(layerTask(ref, l, pull).done);
        }
        try {
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            for (CompletableFuture<Void> f : futures) {
                if (f.isCompletedExceptionally()) {
                    try {
                        f.join();
                    } catch (CompletionException c) {
                        cause = c.getCause();
                        break;
                    }
                }
            }
            if (cause instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(EngineException.Reason.INTERNAL, "pull_failed",
                    "Pulling " + ref.familiar() + " failed: " + cause + ".", cause);
        }
        try {
            content.putBlob(manifest.body(), manifest.digest());
            if (manifest != top) {
                content.putBlob(top.body(), top.digest());
            }
        } catch (IOException e) {
            throw ContentStore.storageError("store the manifest of " + ref.familiar(), e);
        }
        String manifestDigest = manifest.digest();
        content.updateIndex(index -> {
            ImageRecord old = index.images().get(configDigest);
            List<String> repoDigests = new ArrayList<>(old == null ? List.of() : old.repoDigests());
            if (!repoDigests.contains(repoDigest)) {
                repoDigests.add(repoDigest);
            }
            index.images().put(configDigest, new ImageRecord(configDigest, manifestDigest, repoDigests, layers,
                    old == null ? System.currentTimeMillis() : old.created()));
            if (ref.tag() != null) {
                index.tags().put(ref.taggedName(), configDigest);
            }
        });
        return configDigest;
    }

    private LayerTask layerTask(ImageReference ref, ImageRecord.Layer layer, ImagePull pull) {
        while (true) {
            LayerTask[] created = new LayerTask[1];
            LayerTask task = layerTasks.computeIfAbsent(layer.diffId(), k -> created[0] = new LayerTask(layer.digest()));
            task.join(pull);
            if (created[0] == null) {
                return task;
            }
            layerThreads.execute(() -> {
                try {
                    fetcher.fetch(ref, layer, task);
                    task.done.complete(null);
                } catch (Throwable t) {
                    String msg = t.getMessage();
                    task.report("error", 0, layer.size(), msg);
                    task.done.completeExceptionally(t);
                } finally {
                    layerTasks.remove(layer.diffId(), task);
                }
            });
            return task;
        }
    }

    private byte[] fetchConfig(ImageReference ref, String digest, long size) {
        if (content.hasBlob(digest)) {
            return content.readBlob(digest);
        }
        if (size > MAX_CONFIG) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "config_too_large",
                    "The config of " + ref.familiar() + " is larger than 16 MiB; refusing it.");
        }
        try (RegistryClient.BlobStream b = registry.blob(ref, digest, 0)) {
            byte[] data = b.body().readNBytes(MAX_CONFIG + 1);
            content.putBlob(data, digest);
            return data;
        } catch (IOException e) {
            throw RegistryClient.unreachable(ref.registry(), e);
        }
    }

    private static JsonNode parse(byte[] body, ImageReference ref) {
        try {
            return ContentStore.JSON.readTree(body);
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "invalid_manifest",
                    "The manifest of " + ref.familiar() + " is not valid JSON.");
        }
    }

    /** The media type from the document, else from Content-Type; an OCI index/manifest may omit both. */
    static String mediaType(JsonNode json, String contentType) {
        String t = json.path("mediaType").asText("");
        if (t.isEmpty()) {
            t = contentType == null ? "" : contentType;
        }
        if (t.isEmpty() || t.equals("application/json")) {
            if (json.has("manifests")) {
                return MediaTypes.OCI_INDEX;
            }
            if (json.has("config") && json.has("layers")) {
                return MediaTypes.OCI_MANIFEST;
            }
        }
        return t;
    }
}
