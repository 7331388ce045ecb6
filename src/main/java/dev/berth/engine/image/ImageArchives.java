package dev.berth.engine.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;

import dev.berth.engine.EngineException;

/**
 * Import and export of image archives: {@code docker save} tarballs ({@code manifest.json}) and OCI image
 * layouts ({@code oci-layout}, {@code index.json}, {@code blobs/}). Exports are both at once, like Docker 25+.
 */
final class ImageArchives {
    private final ContentStore content;

    /** An image to export and the name:tag to record for it (null: untagged). */
    record Named(ImageRecord image, String name) {
    }

    ImageArchives(ContentStore content) {
        this.content = content;
    }

    // ---- import ----

    List<String> importArchive(InputStream tar) {
        content.gcLock().readLock().lock();
        Path work = null;
        try {
            work = content.newTempDir("import");
            Map<String, String> links = unpackArchive(tar, work);
            if (Files.isRegularFile(work.resolve("manifest.json"))) {
                return importDockerSave(work, links);
            }
            if (Files.isRegularFile(work.resolve("index.json"))) {
                return importOciLayout(work, links);
            }
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "unsupported_archive",
                    "The archive is neither a 'docker save' tarball (manifest.json) nor an OCI image layout "
                            + "(index.json).");
        } catch (LayerFetcher.CorruptContentException e) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                    "A layer in the image archive cannot be read: " + e.getMessage() + ". The archive is damaged.", e);
        } catch (IOException e) {
            throw ContentStore.storageError("import an image archive into " + content.root(), e);
        } finally {
            content.gcLock().readLock().unlock();
            if (work != null) {
                try {
                    ContentStore.deleteTree(work);
                } catch (IOException ignored) {
                    // cleared at next start
                }
            }
        }
    }

    /** Stores regular files of the archive under {@code work}; symlinks are returned as name -> target. */
    private static Map<String, String> unpackArchive(InputStream in, Path work) throws IOException {
        Map<String, String> links = new HashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(in, 1 << 16));
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = safeName(e.getName());
            if (name.isEmpty()) {
                continue;
            }
            if (e.isSymbolicLink() || e.isLink()) {
                String target = e.isLink() ? safeName(e.getLinkName())
                        : safeName(Path.of(name).resolveSibling(e.getLinkName()).normalize().toString());
                links.put(name, target);
            } else if (e.isFile()) {
                Path p = work.resolve(name);
                Path parent = p.getParent();
                for (Path c = parent; !c.equals(work); c = c.getParent()) {
                    if (Files.isSymbolicLink(c)) {
                        throw unsafe(e.getName());
                    }
                }
                Files.createDirectories(parent);
                Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return links;
    }

    private static String safeName(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw unsafe(name);
            }
            parts.add(p);
        }
        return String.join("/", parts);
    }

    private static EngineException unsafe(String name) {
        return new EngineException(EngineException.Reason.INTEGRITY, "unsafe_archive",
                "The image archive contains the path '" + name + "' which leaves the archive; refusing it.");
    }

    private static Path file(Path work, Map<String, String> links, String name) {
        String n = safeName(name);
        for (int i = 0; i < 10 && links.containsKey(n); i++) {
            n = links.get(n);
        }
        Path p = work.resolve(n);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                    "The image archive lacks the file '" + name + "' its manifest refers to.");
        }
        return p;
    }

    private List<String> importDockerSave(Path work, Map<String, String> links) throws IOException {
        JsonNode manifest = ContentStore.JSON.readTree(work.resolve("manifest.json").toFile());
        List<String> loaded = new ArrayList<>();
        for (JsonNode m : manifest) {
            byte[] configBytes = Files.readAllBytes(file(work, links, m.path("Config").asText()));
            List<Path> layerFiles = new ArrayList<>();
            m.path("Layers").forEach(l -> layerFiles.add(file(work, links, l.asText())));
            List<String> tags = new ArrayList<>();
            m.path("RepoTags").forEach(t -> tags.add(ImageReference.parse(t.asText()).taggedName()));
            String id = storeImage(configBytes, layerFiles, null, tags);
            loaded.addAll(tags.isEmpty() ? List.of(id) : tags);
        }
        return loaded;
    }

    private List<String> importOciLayout(Path work, Map<String, String> links) throws IOException {
        JsonNode index = ContentStore.JSON.readTree(work.resolve("index.json").toFile());
        List<String> loaded = new ArrayList<>();
        RegistryClient platformOnly = new RegistryClient(RegistrySettings.defaults());
        for (JsonNode desc : index.path("manifests")) {
            String digest = desc.path("digest").asText();
            byte[] body = Files.readAllBytes(file(work, links, "blobs/sha256/" + Digests.hex(digest)));
            Digests.verify(digest, Digests.of(body), "manifest " + digest + " in the OCI layout");
            JsonNode json = ContentStore.JSON.readTree(body);
            String type = ImagePuller.mediaType(json, desc.path("mediaType").asText(""));
            String name = desc.path("annotations").path("io.containerd.image.name").asText("");
            String refName = desc.path("annotations").path("org.opencontainers.image.ref.name").asText("");
            if (type.equals(MediaTypes.OCI_INDEX) || type.equals(MediaTypes.DOCKER_LIST)) {
                String child = Platforms.select(json, platformOnly, ImageReference.parse(name.isEmpty() ? "oci-layout" : name));
                body = Files.readAllBytes(file(work, links, "blobs/sha256/" + Digests.hex(child)));
                Digests.verify(child, Digests.of(body), "manifest " + child + " in the OCI layout");
                json = ContentStore.JSON.readTree(body);
            }
            String configDigest = json.path("config").path("digest").asText();
            byte[] configBytes = Files.readAllBytes(file(work, links, "blobs/sha256/" + Digests.hex(configDigest)));
            Digests.verify(configDigest, Digests.of(configBytes), "config " + configDigest + " in the OCI layout");
            List<Path> layerFiles = new ArrayList<>();
            for (JsonNode l : json.path("layers")) {
                layerFiles.add(file(work, links, "blobs/sha256/" + Digests.hex(l.path("digest").asText())));
            }
            List<String> tags = new ArrayList<>();
            if (!name.isEmpty()) {
                tags.add(ImageReference.parse(name).taggedName());
            } else if (!refName.isEmpty()) {
                String candidate = refName.contains(":") || refName.contains("/") ? refName : "oci-import:" + refName;
                tags.add(ImageReference.parse(candidate).taggedName());
            }
            String id = storeImage(configBytes, layerFiles, body, tags);
            loaded.addAll(tags.isEmpty() ? List.of(id) : tags);
        }
        return loaded;
    }

    /** Stores config, layers (verifying diff ids while unpacking) and a manifest; indexes the image. */
    private String storeImage(byte[] configBytes, List<Path> layerFiles, byte[] manifestBody, List<String> tags)
            throws IOException {
        String configDigest = content.putBlob(configBytes, null);
        JsonNode config = ImageConfigs.parse(configBytes, configDigest);
        List<String> diffIds = ImageConfigs.diffIds(config, configDigest);
        if (diffIds.size() != layerFiles.size()) {
            throw new EngineException(EngineException.Reason.INTEGRITY, "layer_count_mismatch",
                    "Image " + configDigest + " in the archive has " + layerFiles.size() + " layers but its config lists "
                            + diffIds.size() + ".");
        }
        List<ImageRecord.Layer> layers = new ArrayList<>();
        boolean zstd = false;
        for (int i = 0; i < layerFiles.size(); i++) {
            Path f = layerFiles.get(i);
            String diffId = diffIds.get(i);
            String kind = sniff(f);
            zstd |= kind.equals("zstd");
            String blobDigest = hashFile(f);
            if (!content.hasLayer(diffId)) {
                Path dir = content.newTempDir("layer");
                MessageDigest md = Digests.sha256();
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
                     InputStream tar = new DigestInputStream(new LayerFetcher.ContentErrors(decompress(raw, kind)), md)) {
                    new LayerApplier(dir, blobDigest).apply(tar);
                    Digests.verify(diffId, Digests.format(md.digest()), "layer " + (i + 1) + " of image " + configDigest);
                    content.commitLayer(dir, diffId);
                } finally {
                    ContentStore.deleteTree(dir);
                }
            }
            if (!content.hasBlob(blobDigest)) {
                // copy (another image of the archive may share this layer file), then rename into place
                Path dir = content.newTempDir("blob");
                try {
                    Path t = dir.resolve("data");
                    Files.copy(f, t);
                    content.commitBlob(t, blobDigest);
                } finally {
                    ContentStore.deleteTree(dir);
                }
            }
            String mt = switch (kind) {
                case "gzip" -> MediaTypes.OCI_LAYER_GZIP;
                case "zstd" -> MediaTypes.OCI_LAYER_ZSTD;
                default -> MediaTypes.OCI_LAYER;
            };
            layers.add(new ImageRecord.Layer(blobDigest, mt, Files.size(f), diffId));
        }
        if (manifestBody == null) {
            manifestBody = ociManifest(configDigest, configBytes.length, layers);
        }
        String manifestDigest = content.putBlob(manifestBody, null);
        List<ImageRecord.Layer> finalLayers = layers;
        String md = manifestDigest;
        content.updateIndex(index -> {
            ImageRecord old = index.images().get(configDigest);
            index.images().put(configDigest, new ImageRecord(configDigest, md,
                    old == null ? List.of() : old.repoDigests(), finalLayers,
                    old == null ? System.currentTimeMillis() : old.created()));
            tags.forEach(t -> index.tags().put(t, configDigest));
        });
        return configDigest;
    }

    static byte[] ociManifest(String configDigest, long configSize, List<ImageRecord.Layer> layers) throws IOException {
        ObjectNode m = ContentStore.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", MediaTypes.OCI_CONFIG);
        c.put("digest", configDigest);
        c.put("size", configSize);
        ArrayNode ls = m.putArray("layers");
        for (ImageRecord.Layer l : layers) {
            ObjectNode d = ls.addObject();
            d.put("mediaType", l.mediaType());
            d.put("digest", l.digest());
            d.put("size", l.size());
        }
        return ContentStore.JSON.writeValueAsBytes(m);
    }

    private static String sniff(Path f) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(f)) {
            magic = in.readNBytes(4);
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return "gzip";
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        return "tar";
    }

    private static InputStream decompress(InputStream in, String kind) throws IOException {
        return switch (kind) {
            case "gzip" -> new GZIPInputStream(in, 1 << 16);
            case "zstd" -> new ZstdInputStream(in);
            default -> in;
        };
    }

    private static String hashFile(Path f) throws IOException {
        MessageDigest md = Digests.sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Digests.format(md.digest());
    }

    // ---- export ----

    void export(List<Named> images, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        Map<String, Boolean> written = new LinkedHashMap<>();
        ArrayNode dockerManifest = ContentStore.JSON.createArrayNode();
        ObjectNode index = ContentStore.JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        addBytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        for (Named n : images) {
            ImageRecord image = n.image();
            byte[] manifestBody = content.readBlob(image.manifestDigest());
            addBlob(tar, written, image.manifestDigest());
            addBlob(tar, written, image.id());
            ObjectNode entry = dockerManifest.addObject();
            entry.put("Config", "blobs/sha256/" + Digests.hex(image.id()));
            ArrayNode repoTags = entry.putArray("RepoTags");
            ArrayNode layerNames = entry.putArray("Layers");
            for (ImageRecord.Layer l : image.layers()) {
                addBlob(tar, written, l.digest());
                layerNames.add("blobs/sha256/" + Digests.hex(l.digest()));
            }
            ObjectNode desc = manifests.addObject();
            desc.put("mediaType", ImagePuller.mediaType(ContentStore.JSON.readTree(manifestBody), ""));
            desc.put("digest", image.manifestDigest());
            desc.put("size", manifestBody.length);
            if (n.name() != null) {
                ImageReference r = ImageReference.parse(n.name());
                repoTags.add(r.familiar());
                ObjectNode ann = desc.putObject("annotations");
                ann.put("io.containerd.image.name", r.toString());
                ann.put("org.opencontainers.image.ref.name", r.tag());
            }
        }
        addBytes(tar, "index.json", ContentStore.JSON.writeValueAsBytes(index));
        addBytes(tar, "manifest.json", ContentStore.JSON.writeValueAsBytes(dockerManifest));
        tar.finish();
        tar.flush();
    }

    private void addBlob(TarArchiveOutputStream tar, Map<String, Boolean> written, String digest) throws IOException {
        if (written.put(digest, true) != null) {
            return;
        }
        Path p = content.blobPath(digest);
        if (!Files.isRegularFile(p)) {
            throw new EngineException(EngineException.Reason.NOT_FOUND, "blob_not_found",
                    "Blob " + digest + " is missing from the image store; pull the image again before exporting.");
        }
        TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + Digests.hex(digest));
        e.setSize(Files.size(p));
        e.setMode(0644);
        tar.putArchiveEntry(e);
        Files.copy(p, tar);
        tar.closeArchiveEntry();
    }

    private static void addBytes(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
