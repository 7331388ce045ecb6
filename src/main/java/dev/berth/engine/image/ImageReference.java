package dev.berth.engine.image;

import java.util.Locale;
import java.util.regex.Pattern;

import dev.berth.engine.EngineException;

/**
 * A parsed image reference with Docker's normalisation rules: {@code busybox} is
 * {@code docker.io/library/busybox:latest}; the first path component is a registry host only when it contains
 * a '.' or a ':' or is {@code localhost}; a reference carries a tag, a digest ({@code @sha256:...}) or both
 * (then the digest wins for pulling). Repository paths must be lowercase.
 *
 * @param registry   registry host[:port] as written, {@code docker.io} for Docker Hub
 * @param repository repository path, e.g. {@code library/busybox}
 * @param tag        tag, or null when only a digest was given
 * @param digest     {@code sha256:<hex>} or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]{1,5})?");

    /** Parses and normalises {@code text}; throws INVALID_ARGUMENT saying what is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(String.valueOf(text), "it is empty");
        }
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(text, "the digest must be sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "the tag '" + tag + "' may use letters, digits, '_', '.', '-' (at most 128, not starting with '.' or '-')");
            }
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
                if (!HOST.matcher(head).matches()) {
                    throw invalid(text, "'" + head + "' is not a valid registry host[:port]");
                }
                registry = head;
                path = rest.substring(first + 1);
            }
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (path.isEmpty()) {
            throw invalid(text, "the repository name is missing");
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw invalid(text, "repository names must be lowercase");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, "'" + component + "' is not a valid repository path component "
                        + "(lowercase letters and digits, separated by '.', '_', '__' or '-')");
            }
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        if (registry.length() + path.length() + 1 > 255) {
            throw invalid(text, "the name is longer than 255 characters");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /** True when {@code text} looks like a reference (rather than an image id); does not validate fully. */
    public static boolean isImageId(String text) {
        return text != null && (text.matches("sha256:[a-f0-9]{64}") || text.matches("[a-f0-9]{12,64}"));
    }

    private static EngineException invalid(String text, String why) {
        return new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_reference",
                "'" + text + "' is not a valid image reference: " + why + ".");
    }

    /** {@code registry/repository}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return registry + "/" + repository;
    }

    /** Full normalised form: {@code name:tag}, {@code name@digest} or {@code name:tag@digest}. */
    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** {@code name:tag} (null if this reference has no tag). */
    public String taggedName() {
        return tag == null ? null : name() + ":" + tag;
    }

    /** What to ask the registry for: the digest when known, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The same repository with another digest and no tag. */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    /** The host the HTTP API lives on: Docker Hub's API host is registry-1.docker.io. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** Short form as Docker prints it: {@code busybox:latest} for Hub library images. */
    public String familiar() {
        String n = registry.equals(DOCKER_HUB)
                ? (repository.startsWith("library/") ? repository.substring(8) : repository) : name();
        return n + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
