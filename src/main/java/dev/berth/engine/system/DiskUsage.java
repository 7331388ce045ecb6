package dev.berth.engine.system;

/**
 * What the engine keeps on disk, like {@code docker system df}: images, containers' writable layers and volumes,
 * plus the file system the engine root lives on.
 *
 * @param root             the engine root directory
 * @param filesystemBytes  size of the file system holding the root
 * @param freeBytes        bytes still available to Berth on that file system
 * @param images           stored images (blobs and unpacked layers; shared layers counted once)
 * @param containers       containers' writable layers and logs
 * @param volumes          named and anonymous volumes' data
 * @param volumeSizes      bytes of each volume by name (like {@code docker system df -v})
 */
public record DiskUsage(String root, long filesystemBytes, long freeBytes, Category images, Category containers,
        Category volumes, java.util.Map<String, Long> volumeSizes) {

    /**
     * One kind of object.
     *
     * @param total            how many there are
     * @param active           how many are in use (images used by a container, running containers, volumes mounted by a container)
     * @param sizeBytes        bytes they take on disk
     * @param reclaimableBytes bytes that removing the unused ones would free
     */
    public record Category(int total, int active, long sizeBytes, long reclaimableBytes) {
    }

    /** Bytes the engine's objects take together. */
    public long engineBytes() {
        return images.sizeBytes() + containers.sizeBytes() + volumes.sizeBytes();
    }
}
