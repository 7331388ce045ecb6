package dev.berth.engine.image;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An image built in memory by a test: layers (tar bytes + compression) and a config; pushable. */
public final class TestImage {
    static final ObjectMapper JSON = new ObjectMapper();

    public enum Compression { GZIP, ZSTD, NONE }

    public record Layer(byte[] tar, Compression compression) {
        byte[] blob() {
            return switch (compression) {
                case GZIP -> Tars.gzip(tar);
                case ZSTD -> Tars.zstd(tar);
                case NONE -> tar;
            };
        }

        String mediaType(boolean oci) {
            return switch (compression) {
                case GZIP -> oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP;
                case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                case NONE -> MediaTypes.OCI_LAYER;
            };
        }
    }

    private final List<Layer> layers = new ArrayList<>();
    private final ObjectNode config = JSON.createObjectNode();
    private String layerMediaTypeOverride;
    private String architecture = "amd64";

    public TestImage() {
        ObjectNode c = config.putObject("config");
        c.putArray("Env").add("PATH=/bin").add("GREETING=hello");
        c.putArray("Cmd").add("/bin/sh");
        c.put("WorkingDir", "/srv");
        c.put("User", "1000:1000");
        c.putObject("ExposedPorts").putObject("8080/tcp");
        c.putObject("Volumes").putObject("/data");
        c.putObject("Labels").put("org.example.test", "yes");
        config.put("created", "2026-11-22T10:00:00Z");
    }

    public TestImage layer(byte[] tar, Compression compression) {
        layers.add(new Layer(tar, compression));
        return this;
    }

    public TestImage label(String key, String value) {
        ((ObjectNode) config.path("config").path("Labels")).put(key, value);
        return this;
    }

    public TestImage architecture(String arch) {
        this.architecture = arch;
        return this;
    }

    /** Declares every layer with this media type (for unsupported-media-type tests). */
    public TestImage layerMediaType(String type) {
        this.layerMediaTypeOverride = type;
        return this;
    }

    public byte[] configBytes() throws Exception {
        ObjectNode c = config.deepCopy();
        c.put("architecture", architecture);
        c.put("os", "linux");
        ObjectNode rootfs = c.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        ArrayNode history = c.putArray("history");
        for (Layer l : layers) {
            ids.add(Digests.of(l.tar()));
            history.addObject().put("created", "2026-11-22T10:00:00Z").put("created_by", "test layer");
        }
        return JSON.writeValueAsBytes(c);
    }

    public String id() throws Exception {
        return Digests.of(configBytes());
    }

    /** The manifest for this image (docker schema 2 or OCI); {@code withMediaType} false omits mediaType (OCI). */
    public byte[] manifest(boolean oci, boolean withMediaType) throws Exception {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        if (withMediaType) {
            m.put("mediaType", oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST);
        }
        byte[] cfg = configBytes();
        ObjectNode c = m.putObject("config");
        c.put("mediaType", oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG);
        c.put("digest", Digests.of(cfg));
        c.put("size", cfg.length);
        ArrayNode ls = m.putArray("layers");
        for (Layer l : layers) {
            byte[] blob = l.blob();
            ObjectNode d = ls.addObject();
            d.put("mediaType", layerMediaTypeOverride != null ? layerMediaTypeOverride : l.mediaType(oci));
            d.put("digest", Digests.of(blob));
            d.put("size", blob.length);
        }
        return JSON.writeValueAsBytes(m);
    }

    public List<byte[]> blobs() throws Exception {
        List<byte[]> out = new ArrayList<>();
        out.add(configBytes());
        for (Layer l : layers) {
            out.add(l.blob());
        }
        return out;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** Pushes blobs and the manifest under {@code tag}; returns the manifest digest. */
    public String push(Pusher p, String repo, String tag, boolean oci) throws Exception {
        pushBlobs(p, repo);
        return p.manifest(repo, tag, oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST, manifest(oci, true));
    }

    public void pushBlobs(Pusher p, String repo) throws Exception {
        int i = 0;
        for (byte[] b : blobs()) {
            p.blob(repo, b, (i++ % 2 == 0) ? 1 : 3);
        }
    }
}
