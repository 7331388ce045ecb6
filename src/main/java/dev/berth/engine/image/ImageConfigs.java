package dev.berth.engine.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.berth.engine.EngineException;

/** Reads OCI/Docker image config blobs. */
final class ImageConfigs {
    private ImageConfigs() {
    }

    static JsonNode parse(byte[] blob, String digest) {
        try {
            return ContentStore.JSON.readTree(blob);
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "invalid_config",
                    "Image config " + digest + " is not valid JSON: " + e.getMessage());
        }
    }

    static ImageConfig runConfig(JsonNode config) {
        JsonNode c = config.path("config");
        return new ImageConfig(strings(c.path("Env")), strings(c.path("Entrypoint")), strings(c.path("Cmd")),
                c.path("WorkingDir").asText(""), c.path("User").asText(""), sortedKeys(c.path("ExposedPorts")),
                sortedKeys(c.path("Volumes")), labels(c.path("Labels")), c.path("StopSignal").asText(""));
    }

    static List<String> diffIds(JsonNode config, String digest) {
        JsonNode ids = config.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw new EngineException(EngineException.Reason.UNSUPPORTED, "invalid_config",
                    "Image config " + digest + " has no rootfs.diff_ids; it is not an image config Berth can use.");
        }
        List<String> out = new ArrayList<>();
        ids.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    private static List<String> sortedKeys(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return new ArrayList<>(out);
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
