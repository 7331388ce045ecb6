package dev.berth.engine.image;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.berth.engine.EngineException;

/** Chooses the manifest for the host's platform from a manifest list or OCI index. */
final class Platforms {
    private Platforms() {
    }

    /** The digest of the entry matching the configured os/architecture; attestation entries are skipped. */
    static String select(JsonNode index, RegistryClient registry, ImageReference ref) {
        String os = registry.settings().os();
        String arch = registry.settings().architecture();
        List<String> offered = new ArrayList<>();
        String fallback = null;
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            String refType = m.path("annotations").path("vnd.docker.reference.type").asText("");
            if (refType.equals("attestation-manifest") || p.path("os").asText("").equals("unknown")) {
                continue;
            }
            String mt = m.path("mediaType").asText("");
            if (!mt.isEmpty() && !mt.equals(MediaTypes.OCI_MANIFEST) && !mt.equals(MediaTypes.DOCKER_MANIFEST)) {
                continue;
            }
            String pOs = p.path("os").asText("");
            String pArch = p.path("architecture").asText("");
            offered.add(pOs + "/" + pArch + (p.hasNonNull("variant") ? "/" + p.get("variant").asText() : ""));
            if (pOs.equals(os) && pArch.equals(arch)) {
                String variant = p.path("variant").asText("");
                if (!arch.equals("arm64") || variant.isEmpty() || variant.equals("v8")) {
                    return m.path("digest").asText();
                }
                if (fallback == null) {
                    fallback = m.path("digest").asText();
                }
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new EngineException(EngineException.Reason.NOT_FOUND, "platform_not_found",
                "Image " + ref.familiar() + " has no variant for " + os + "/" + arch + " (it offers "
                        + (offered.isEmpty() ? "none" : String.join(", ", offered)) + ").");
    }
}
