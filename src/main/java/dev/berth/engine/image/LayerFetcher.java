package dev.berth.engine.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;

import dev.berth.engine.EngineException;

/**
 * Fetches one layer in a single streaming pass: network bytes are appended to {@code partial/<digest>} (so an
 * interrupted download resumes with an HTTP Range request), hashed, decompressed (gzip, zstd or none, sniffed
 * from the magic bytes; big gzip layers by an external igzip, see {@link ExternalGunzip}), hashed again for the
 * diff id and unpacked into a temporary directory, which is renamed to {@code layers/<diffid>} only when both
 * digests match.
 */
final class LayerFetcher {
    private static final int ATTEMPTS = 4;

    private final ContentStore content;
    private final RegistryClient registry;

    LayerFetcher(ContentStore content, RegistryClient registry) {
        this.content = content;
        this.registry = registry;
    }

    /**
     * A read failure whose cause is already known (network, local disk, corrupt content, the external gunzip).
     * The stream layers of a pull pass it through as it is; any other IOException from reading a layer is
     * corrupt content.
     */
    abstract static class KnownCauseException extends IOException {
        KnownCauseException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The layer's bytes cannot be decompressed or read as a tar. */
    static final class CorruptContentException extends KnownCauseException {
        CorruptContentException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A local disk failure while storing the download. */
    static final class LocalDiskException extends KnownCauseException {
        LocalDiskException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Marks read failures that are neither network nor disk failures as corrupt content. */
    static final class ContentErrors extends java.io.FilterInputStream {
        ContentErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (KnownCauseException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptContentException(String.valueOf(e.getMessage()), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (KnownCauseException e) {
                throw e;
            } catch (IOException e) {
                throw new CorruptContentException(String.valueOf(e.getMessage()), e);
            }
        }
    }

    /** An I/O failure on the network side (retryable), as opposed to a local disk failure. */
    static final class NetworkException extends KnownCauseException {
        NetworkException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    void fetch(ImageReference ref, ImageRecord.Layer layer, ImagePuller.LayerTask task) {
        if (content.hasLayer(layer.diffId()) && content.hasBlob(layer.digest())) {
            task.report("done", layer.size(), layer.size(), "already present");
            return;
        }
        Path partial = content.partialPath(layer.digest());
        EngineException lastNetwork = null;
        boolean retriedCorrupt = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Path work = null;
            boolean resumed = Files.exists(partial);
            try {
                work = content.newTempDir("layer");
                attemptOnce(ref, layer, task, partial, work);
                return;
            } catch (NetworkException e) {
                lastNetwork = RegistryClient.unreachable(ref.registry(), e);
                task.report("waiting", 0, layer.size(), "connection lost, resuming: " + e.getMessage());
            } catch (EngineException e) {
                if (e.reason() == EngineException.Reason.INTEGRITY && !retriedCorrupt && resumed
                        && (e.code().equals("digest_mismatch") || e.code().equals("invalid_layer"))) {
                    // a stale partial download may be corrupt: start once more from zero
                    retriedCorrupt = true;
                    deleteQuietly(partial);
                    attempt--;
                    continue;
                }
                if (e.reason() != EngineException.Reason.UNAVAILABLE) {
                    deleteQuietly(partial);
                    throw e;
                }
                lastNetwork = e;
            } catch (IOException e) {
                deleteQuietly(partial);
                throw ContentStore.storageError("unpack layer " + layer.digest() + " of " + ref.familiar()
                        + " into " + content.root(), e);
            } finally {
                if (work != null) {
                    deleteQuietly(work);
                }
            }
        }
        throw lastNetwork;
    }

    private void attemptOnce(ImageReference ref, ImageRecord.Layer layer, ImagePuller.LayerTask task, Path partial,
                             Path work) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        RegistryClient.BlobStream blob = registry.blob(ref, layer.digest(), have);
        if (blob.offset() == 0) {
            have = 0;
        }
        MessageDigest compressed = Digests.sha256();
        MessageDigest uncompressed = Digests.sha256();
        ChunkPipe pipe = null;
        InputStream decompressed = null;
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            try {
                out.truncate(have);
                out.position(have);
                ProgressStream source = new ProgressStream(partial, have, blob.body(), out, compressed, task, layer.size());
                task.report("downloading", have, layer.size(), have > 0 ? "resuming at byte " + have : "");
                // download + hash + store on one thread, decompress + hash + unpack on this one
                pipe = new ChunkPipe(source, "layer-download-" + Digests.hex(layer.digest()).substring(0, 12));
                try {
                    decompressed = decompress(new BufferedInputStream(pipe, 1 << 16), layer);
                    InputStream tar = new java.security.DigestInputStream(new ContentErrors(decompressed), uncompressed);
                    new LayerApplier(work, layer.digest()).apply(tar);
                } catch (CorruptContentException e) {
                    // find out whether the bytes were tampered with (digest) or the blob itself is broken
                    closeQuietly(decompressed); // an external gunzip stops reading the pipe
                    pipe.drain();
                    Digests.verify(layer.digest(), Digests.format(compressed.digest()), "layer " + layer.digest() + " of " + ref.familiar());
                    throw new EngineException(EngineException.Reason.INTEGRITY, "invalid_layer",
                            "Layer " + layer.digest() + " of " + ref.familiar() + " is not a valid " + layer.mediaType()
                                    + " archive: " + e.getMessage() + ". The image on the registry is broken.", e);
                }
                closeQuietly(decompressed);
                pipe.drain();
                task.report("verifying", source.total(), layer.size(), "");
                Digests.verify(layer.digest(), Digests.format(compressed.digest()), "layer " + layer.digest() + " of " + ref.familiar());
                Digests.verify(layer.diffId(), Digests.format(uncompressed.digest()),
                        "the uncompressed content (diff id) of layer " + layer.digest() + " of " + ref.familiar());
            } finally {
                closeQuietly(decompressed); // first: an external gunzip and its feeding thread stop reading the pipe
                try {
                    blob.close();
                } catch (IOException ignored) {
                    // the download is over either way
                }
                if (pipe != null) {
                    pipe.stop();
                }
            }
        }
        task.report("extracting", layer.size(), layer.size(), "committing");
        content.commitBlob(partial, layer.digest());
        content.commitLayer(work, layer.diffId());
        task.report("done", layer.size(), layer.size(), "");
    }

    static InputStream decompress(BufferedInputStream in, ImageRecord.Layer layer) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            if (ExternalGunzip.wanted(layer.size())) {
                // big layers: igzip inflates several times faster, in its own process; null when not installed
                ExternalGunzip external = ExternalGunzip.open(in, layer.digest());
                if (external != null) {
                    return external;
                }
            }
            return new GZIPInputStream(in, 1 << 16);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            ZstdInputStream z = new ZstdInputStream(in);
            z.setContinuous(false);
            return z;
        }
        if (layer.mediaType().endsWith("gzip") || layer.mediaType().endsWith("zstd")) {
            throw new CorruptContentException("its content is not compressed as declared", null);
        }
        return in;
    }

    private static void closeQuietly(InputStream in) {
        if (in instanceof ExternalGunzip) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the child is gone either way
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            ContentStore.deleteTree(p);
        } catch (IOException ignored) {
            // tmp/ is cleared at the next start anyway
        }
    }

    /**
     * Replays the bytes already in the partial file, then reads the network, appending what it reads to the
     * partial file; everything is hashed and counted for progress. Network read failures become
     * {@link NetworkException}.
     */
    private static final class ProgressStream extends InputStream {
        private final InputStream replay;
        private final InputStream network;
        private final FileChannel out;
        private final MessageDigest digest;
        private final ImagePuller.LayerTask task;
        private final long size;
        private boolean replaying;
        private long total;
        private long reported;

        ProgressStream(Path partial, long have, InputStream network, FileChannel out, MessageDigest digest,
                       ImagePuller.LayerTask task, long size) throws IOException {
            this.replay = have > 0 ? new java.io.FileInputStream(partial.toFile()) {
                private long left = have;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            } : null;
            this.replaying = have > 0;
            this.network = network;
            this.out = out;
            this.digest = digest;
            this.task = task;
            this.size = size;
        }

        long total() {
            return total;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (replaying) {
                int n = replay.read(b, off, len);
                if (n > 0) {
                    digest.update(b, off, n);
                    total += n;
                    return n;
                }
                replaying = false;
                replay.close();
            }
            int n;
            try {
                n = network.read(b, off, len);
            } catch (IOException e) {
                throw new NetworkException(e);
            }
            if (n < 0 && size > 0 && total < size) {
                // a connection closed early can look like a normal end of stream: the manifest says how much to expect
                throw new NetworkException(new IOException("the connection closed after " + total + " of " + size + " bytes"));
            }
            if (n > 0) {
                ByteBuffer bb = ByteBuffer.wrap(b, off, n);
                try {
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                } catch (IOException e) {
                    throw new LocalDiskException(e);
                }
                digest.update(b, off, n);
                total += n;
                if (total - reported >= 256 * 1024 || total == size) {
                    reported = total;
                    task.report("downloading", total, size, "");
                }
            }
            return n;
        }

        void drain() throws IOException {
            byte[] buf = new byte[1 << 16];
            while (read(buf, 0, buf.length) >= 0) {
                // hash and store the rest
            }
        }

        @Override
        public void close() throws IOException {
            if (replay != null) {
                replay.close();
            }
        }
    }
}
