package dev.berth.engine.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.berth.engine.EngineException;

/**
 * A read view of a container's filesystem made of directories stacked top first (an overlay's upper dir,
 * then image layers; or a single running container root such as {@code /proc/<pid>/root}). Paths are
 * resolved one component at a time with {@code lstat}; symbolic links are interpreted relative to this view's
 * root, so no link can lead outside it ({@code ..} stops at the root, absolute targets restart at the root).
 * Overlay whiteouts (0/0 character devices, {@code .wh.} files) and {@code .wh..wh..opq} opaque markers hide
 * lower entries, and so do directories with the {@code trusted.overlay.opaque=y} xattr ({@link OpaqueDirs}).
 */
public final class LayeredRoot {
    private static final int MAX_LINKS = 40;
    private final List<Path> layers;
    private final boolean whiteouts;
    private final java.util.Map<Path, java.util.Set<Path>> opaque = new java.util.HashMap<>();

    /** @param layersTopFirst directories, topmost first; {@code whiteouts} for overlay layers, false for a live root */
    public LayeredRoot(List<Path> layersTopFirst, boolean whiteouts) {
        this.layers = List.copyOf(layersTopFirst);
        this.whiteouts = whiteouts;
    }

    /** The topmost host path of an entry and its canonical path inside the container (no links in it). */
    public record Entry(String path, Path host) {
        public boolean isDirectory() {
            return Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
        }

        public boolean isSymbolicLink() {
            return Files.isSymbolicLink(host);
        }
    }

    /**
     * Resolves a path inside the container. Links in every component but the last are followed inside the
     * root; the last one too when {@code followLast}.
     */
    public Optional<Entry> resolve(String containerPath, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(split(containerPath));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(name);
            String path = join(done);
            Optional<Path> host = find(path);
            if (host.isEmpty()) {
                return Optional.empty();
            }
            boolean last = todo.isEmpty();
            if (Files.isSymbolicLink(host.get()) && (!last || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "too_many_links",
                            "Too many symbolic links while resolving '" + containerPath + "' inside the container.");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(host.get()).toString();
                } catch (IOException e) {
                    return Optional.empty();
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                if (parts.isEmpty() && !target.startsWith("/")) {
                    return Optional.empty();
                }
            } else if (!last && !Files.isDirectory(host.get(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
        }
        String path = join(done);
        if (done.isEmpty()) {
            return Optional.of(new Entry("/", layers.get(0)));
        }
        return find(path).map(h -> new Entry(path, h));
    }

    /** The merged names in a directory (canonical path), whiteouts removed. */
    public List<String> list(String canonicalDir) {
        TreeSet<String> names = new TreeSet<>();
        TreeSet<String> hidden = new TreeSet<>();
        String rel = relative(canonicalDir);
        for (Path layer : layers) {
            Path dir = rel.isEmpty() ? layer : layer.resolve(rel);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    break; // a file here hides lower directories
                }
                continue;
            }
            boolean opaque = whiteouts && isOpaque(layer, dir);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (whiteouts && n.equals(".wh..wh..opq")) {
                        opaque = true;
                    } else if (whiteouts && n.startsWith(".wh.")) {
                        hidden.add(n.substring(4));
                    } else if (whiteouts && isWhiteoutDevice(p)) {
                        hidden.add(n);
                    } else if (!hidden.contains(n)) {
                        names.add(n);
                    }
                }
            } catch (IOException e) {
                continue;
            }
            if (opaque || !whiteouts) {
                break;
            }
        }
        return new ArrayList<>(names);
    }

    private Optional<Path> find(String canonicalPath) {
        String rel = relative(canonicalPath);
        Path relPath = Path.of(rel);
        String name = relPath.getFileName().toString();
        for (Path layer : layers) {
            Path host = layer.resolve(rel);
            if (whiteouts) {
                Path parent = host.getParent();
                if (Files.exists(parent.resolve(".wh." + name), LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
            }
            if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                if (whiteouts && isWhiteoutDevice(host)) {
                    return Optional.empty();
                }
                return Optional.of(host);
            }
            if (whiteouts && hiddenBelow(layer, relPath)) {
                return Optional.empty();
            }
            if (!whiteouts) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether some ancestor directory of {@code rel} in this layer is opaque or not a directory. */
    private boolean hiddenBelow(Path layer, Path rel) {
        Path dir = layer;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            dir = dir.resolve(rel.getName(i).toString());
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(dir.resolve(".wh..wh..opq"), LinkOption.NOFOLLOW_LINKS) || isOpaque(layer, dir)) {
                return true;
            }
        }
        return false;
    }

    private synchronized boolean isOpaque(Path layer, Path dir) {
        if (layer.equals(layers.get(layers.size() - 1))) {
            return false; // nothing below the bottom layer to hide
        }
        return opaque.computeIfAbsent(layer, OpaqueDirs::of).contains(dir);
    }

    static boolean isWhiteoutDevice(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0170000) != 0020000) {
                return false;
            }
            long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return rdev == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return parts;
    }

    private static String join(List<String> parts) {
        return "/" + String.join("/", parts);
    }

    private static String relative(String canonicalPath) {
        return canonicalPath.startsWith("/") ? canonicalPath.substring(1) : canonicalPath;
    }
}
