package dev.berth.engine.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.berth.engine.EngineException;

/**
 * The on-disk content store under the engine root:
 * <pre>
 *   blobs/sha256/&lt;hex&gt;     manifests, configs and layer blobs as transferred, named by their digest
 *   layers/&lt;diffid hex&gt;/   each layer unpacked once; used as an overlay lower directory
 *   partial/&lt;hex&gt;          interrupted layer downloads, resumed with an HTTP Range request
 *   tmp/                  work directories; anything left here after a crash is deleted at start
 *   images.json           the index: images by id and tags name:tag -&gt; id (replaced atomically)
 * </pre>
 * Nothing becomes visible half-written: blobs and layer directories are written under tmp/ and renamed into
 * place, and the index is written to a temporary file, fsynced and renamed.
 */
public final class ContentStore {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;
    private final Path blobs;
    private final Path layers;
    private final Path partial;
    private final Path tmp;
    private final Path indexFile;
    /** Pulls and imports hold the read lock while they add content; garbage collection takes the write lock. */
    private final ReentrantReadWriteLock gcLock = new ReentrantReadWriteLock();
    private Index index;

    /** The index file's content. */
    public record Index(Map<String, ImageRecord> images, Map<String, String> tags) {
        Index copy() {
            return new Index(new LinkedHashMap<>(images), new LinkedHashMap<>(tags));
        }
    }

    public ContentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs/sha256");
        this.layers = this.root.resolve("layers");
        this.partial = this.root.resolve("partial");
        this.tmp = this.root.resolve("tmp");
        this.indexFile = this.root.resolve("images.json");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(layers);
            Files.createDirectories(partial);
            Files.createDirectories(tmp);
            clearTmp();
            this.index = readIndex();
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INTERNAL, "image_store_unavailable",
                    "Cannot open the image store at " + this.root + ": " + e.getMessage()
                            + ". Check that the directory exists and is writable.", e);
        }
    }

    public Path root() {
        return root;
    }

    public ReentrantReadWriteLock gcLock() {
        return gcLock;
    }

    public Path blobPath(String digest) {
        return blobs.resolve(Digests.hex(digest));
    }

    public boolean hasBlob(String digest) {
        return Files.isRegularFile(blobPath(digest));
    }

    public byte[] readBlob(String digest) {
        try {
            return Files.readAllBytes(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw new EngineException(EngineException.Reason.NOT_FOUND, "blob_not_found",
                    "Blob " + digest + " is missing from the image store at " + root + ". Pull the image again.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores {@code data} under its digest, verifying it equals {@code expected} when that is not null. */
    public String putBlob(byte[] data, String expected) throws IOException {
        String digest = Digests.of(data);
        if (expected != null) {
            Digests.verify(expected, digest, "blob " + expected);
        }
        Path target = blobPath(digest);
        if (!Files.exists(target)) {
            Path t = tmp.resolve("blob-" + UUID.randomUUID());
            try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
                ch.force(true);
            }
            moveIntoPlace(t, target);
        }
        return digest;
    }

    /** Moves a finished temporary file into the blob store under {@code digest}. */
    public void commitBlob(Path file, String digest) throws IOException {
        moveIntoPlace(file, blobPath(digest));
    }

    public Path partialPath(String digest) {
        return partial.resolve(Digests.hex(digest));
    }

    public Path layerDir(String diffId) {
        return layers.resolve(Digests.hex(diffId));
    }

    public boolean hasLayer(String diffId) {
        return Files.isDirectory(layerDir(diffId));
    }

    /** A fresh private work directory under tmp/ (same file system as the store, so renames are atomic). */
    public Path newTempDir(String prefix) throws IOException {
        return Files.createDirectory(tmp.resolve(prefix + "-" + UUID.randomUUID()));
    }

    /** Renames an unpacked layer directory into place; if another pull won the race, drops ours. */
    public void commitLayer(Path unpacked, String diffId) throws IOException {
        Path target = layerDir(diffId);
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteTree(unpacked);
        }
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // ---- index ----

    public synchronized Index index() {
        return index.copy();
    }

    public synchronized ImageRecord image(String id) {
        return index.images().get(id);
    }

    /** Applies {@code change} to a copy of the index and makes the result durable before it becomes current. */
    public synchronized void updateIndex(java.util.function.Consumer<Index> change) {
        Index next = index.copy();
        change.accept(next);
        try {
            writeIndex(next);
        } catch (IOException e) {
            throw storageError("update the image index " + indexFile, e);
        }
        index = next;
    }

    private Index readIndex() throws IOException {
        if (!Files.exists(indexFile)) {
            return new Index(new LinkedHashMap<>(), new LinkedHashMap<>());
        }
        Index read = JSON.readValue(indexFile.toFile(), Index.class);
        return new Index(read.images() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(read.images()),
                read.tags() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(read.tags()));
    }

    private void writeIndex(Index next) throws IOException {
        Path t = tmp.resolve("index-" + UUID.randomUUID());
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next);
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(t, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // fsync of a directory is best effort on some file systems
        }
    }

    // ---- garbage collection ----

    /**
     * Deletes blobs and layer directories that no image in the index references, and stale partial downloads.
     * Waits for running pulls and imports to finish first. Returns the number of bytes freed (approximate).
     */
    public long collectGarbage() {
        gcLock.writeLock().lock();
        try {
            Index current = index();
            Set<String> keepBlobs = new HashSet<>();
            Set<String> keepLayers = new HashSet<>();
            for (ImageRecord image : current.images().values()) {
                keepBlobs.add(Digests.hex(image.id()));
                keepBlobs.add(Digests.hex(image.manifestDigest()));
                for (String repoDigest : image.repoDigests()) {
                    int at = repoDigest.indexOf('@');
                    if (at > 0) {
                        keepBlobs.add(Digests.hex(repoDigest.substring(at + 1)));
                    }
                }
                for (ImageRecord.Layer layer : image.layers()) {
                    keepBlobs.add(Digests.hex(layer.digest()));
                    keepLayers.add(Digests.hex(layer.diffId()));
                }
            }
            long freed = 0;
            freed += deleteUnlisted(blobs, keepBlobs);
            freed += deleteUnlisted(layers, keepLayers);
            freed += deleteUnlisted(partial, Set.of());
            return freed;
        } catch (IOException e) {
            throw storageError("collect garbage in " + root, e);
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    private static long deleteUnlisted(Path dir, Set<String> keep) throws IOException {
        long freed = 0;
        List<Path> doomed = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> !keep.contains(p.getFileName().toString())).forEach(doomed::add);
        }
        for (Path p : doomed) {
            freed += Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? 0 : Files.size(p);
            deleteTree(p);
        }
        return freed;
    }

    private void clearTmp() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                deleteTree(p);
            }
        }
    }

    /**
     * Deletes a file or a directory tree without following symbolic links: iteratively (a deep hostile tree cannot
     * overflow the stack) and with one lstat per entry ({@link Files#walkFileTree} without FOLLOW_LINKS).
     */
    public static void deleteTree(Path p) throws IOException {
        Files.walkFileTree(p, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
                    throws IOException {
                Files.deleteIfExists(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE; // already gone (or never there)
                }
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    static EngineException storageError(String what, IOException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No space left on device") || msg.contains("Disk quota exceeded")) {
            return new EngineException(EngineException.Reason.INSUFFICIENT_STORAGE, "no_space",
                    "Ran out of disk space while trying to " + what + ". Free space on that file system "
                            + "(remove unused images) and try again.", e);
        }
        return new EngineException(EngineException.Reason.INTERNAL, "storage_error",
                "Could not " + what + ": " + e + ".", e);
    }
}
