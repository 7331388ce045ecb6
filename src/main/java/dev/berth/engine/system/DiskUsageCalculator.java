package dev.berth.engine.system;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerFilters;
import dev.berth.engine.container.ContainerService;
import dev.berth.engine.container.ContainerSummary;
import dev.berth.engine.image.ContentStore;
import dev.berth.engine.image.ImageRecord;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.volume.Volume;
import dev.berth.engine.volume.VolumeService;

/**
 * Computes {@link DiskUsage} by walking the engine's directories, like {@code du --apparent-size}: the sizes of
 * regular files, each hard-linked file once, never crossing into another file system (such as a running
 * container's overlay mount).
 */
public final class DiskUsageCalculator {
    private final Path root;
    private final ImageStore images;
    private final ContainerService containers;
    private final VolumeService volumes;

    public DiskUsageCalculator(Path engineRoot, ImageStore images, ContainerService containers, VolumeService volumes) {
        this.root = engineRoot.toAbsolutePath().normalize();
        this.images = images;
        this.containers = containers;
        this.volumes = volumes;
    }

    public DiskUsage compute() {
        List<ContainerSummary> all = containers.list(new ContainerFilters(true, Map.of()));
        long fsTotal;
        long fsFree;
        try {
            FileStore store = Files.getFileStore(root);
            fsTotal = store.getTotalSpace();
            fsFree = store.getUsableSpace();
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INTERNAL, "disk_usage_failed",
                    "Could not read the file system of the engine root " + root + ": " + e.getMessage()
                            + ". Check that the directory exists and is readable.", e);
        }
        Map<String, Long> volumeSizes = new java.util.TreeMap<>();
        return new DiskUsage(root.toString(), fsTotal, fsFree, imageUsage(all), containerUsage(all), volumeUsage(volumeSizes),
                java.util.Collections.unmodifiableMap(volumeSizes));
    }

    private DiskUsage.Category imageUsage(List<ContainerSummary> all) {
        ContentStore content = images.content();
        Map<String, ImageRecord> records = content.index().images();
        Set<String> usedIds = new HashSet<>();
        all.forEach(c -> usedIds.add(c.imageId()));
        // Every blob and layer directory once, and which of them an image in use needs.
        Set<Path> everything = new LinkedHashSet<>();
        Set<Path> needed = new HashSet<>();
        int active = 0;
        for (ImageRecord image : records.values()) {
            boolean used = usedIds.contains(image.id());
            if (used) {
                active++;
            }
            Set<Path> parts = new LinkedHashSet<>();
            parts.add(content.blobPath(image.id()));
            parts.add(content.blobPath(image.manifestDigest()));
            for (ImageRecord.Layer layer : image.layers()) {
                parts.add(content.blobPath(layer.digest()));
                parts.add(content.layerDir(layer.diffId()));
            }
            everything.addAll(parts);
            if (used) {
                needed.addAll(parts);
            }
        }
        Walker walker = new Walker();
        long size = 0;
        long reclaimable = 0;
        for (Path part : everything) {
            long bytes = walker.bytes(part);
            size += bytes;
            if (!needed.contains(part)) {
                reclaimable += bytes;
            }
        }
        return new DiskUsage.Category(records.size(), active, size, reclaimable);
    }

    private DiskUsage.Category containerUsage(List<ContainerSummary> all) {
        Path dirs = root.resolve("containers");
        Walker walker = new Walker();
        int running = 0;
        long size = 0;
        long reclaimable = 0;
        for (ContainerSummary c : all) {
            // The container's own files: its writable layer, logs and config; never the merged rootfs mount.
            long bytes = walker.bytes(dirs.resolve(c.id()));
            size += bytes;
            if ("running".equals(c.state()) || "paused".equals(c.state()) || "restarting".equals(c.state())) {
                running++;
            } else {
                reclaimable += bytes;
            }
        }
        return new DiskUsage.Category(all.size(), running, size, reclaimable);
    }

    /** Bytes of each volume by name, without measuring images and containers. */
    public Map<String, Long> volumeSizes() {
        Map<String, Long> sizes = new java.util.TreeMap<>();
        volumeUsage(sizes);
        return sizes;
    }

    private DiskUsage.Category volumeUsage(Map<String, Long> sizes) {
        Walker walker = new Walker();
        List<Volume> list = volumes.list();
        int active = 0;
        long size = 0;
        long reclaimable = 0;
        for (Volume v : list) {
            long bytes = walker.bytes(Path.of(v.mountpoint()));
            sizes.put(v.name(), bytes);
            size += bytes;
            if (volumes.usedBy(v.name()).isEmpty()) {
                reclaimable += bytes;
            } else {
                active++;
            }
        }
        return new DiskUsage.Category(list.size(), active, size, reclaimable);
    }

    /** Sums file sizes under paths, counting each inode once and staying on the starting file system. */
    static final class Walker {
        private final Set<Object> seen = new HashSet<>();

        long bytes(Path start) {
            if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
                return 0;
            }
            long[] total = {0};
            Object device;
            try {
                device = Files.getAttribute(start, "unix:dev", LinkOption.NOFOLLOW_LINKS);
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                            return FileVisitResult.SKIP_SUBTREE; // a mount point (e.g. a running container's rootfs)
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        if (attrs.isRegularFile()) {
                            total[0] += size(file, attrs);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // removed while walking: it no longer uses space
                    }
                });
            } catch (IOException e) {
                return total[0]; // the object went away while we looked: count what was seen
            }
            return total[0];
        }

        private long size(Path file, BasicFileAttributes attrs) throws IOException {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,nlink", LinkOption.NOFOLLOW_LINKS);
            if (((Number) a.get("nlink")).intValue() > 1 && !seen.add(List.of(a.get("dev"), a.get("ino")))) {
                return 0; // another name of a file already counted
            }
            return attrs.size();
        }
    }
}
