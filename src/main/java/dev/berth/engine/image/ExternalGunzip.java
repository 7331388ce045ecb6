package dev.berth.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses a gzip stream with an external {@code igzip -dc} (ISA-L, Debian package {@code isal}), which
 * inflates several times faster than {@code java.util.zip}. The compressed bytes are fed to the child's stdin by a
 * thread as they arrive (the caller still hashes them: this class never sees the digest), the decompressed bytes
 * are read from its stdout.
 *
 * <p>Used for layers of at least {@link #minSize()} compressed bytes (system property
 * {@code berth.image.gunzip.min}, default 8 MiB; negative turns it off); the binary is {@code igzip} on the
 * PATH or the system property {@code berth.image.gunzip.binary}. When the binary is missing or does not start,
 * {@link #open} returns null and the caller falls back to {@link java.util.zip.GZIPInputStream}. When the child
 * fails mid-stream, reads fail with an error that names the layer: a {@link LayerFetcher.CorruptContentException}
 * when igzip rejected the data, a plain {@link IOException} when it was killed or crashed.
 */
final class ExternalGunzip extends InputStream {
    static final long DEFAULT_MIN = 8L << 20;

    /** igzip itself failed (killed, crashed, hung), as opposed to rejecting the data: not the image's fault. */
    static final class Failed extends LayerFetcher.KnownCauseException {
        Failed(String message) {
            super(message, null);
        }
    }

    private final Process process;
    private final InputStream stdout;
    private final String layerName;
    private final Thread feeder;
    private final Thread errors;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private volatile IOException feedFailure;
    private volatile boolean closed;
    private boolean ended;

    /** The smallest compressed layer size decompressed externally; negative when turned off. */
    static long minSize() {
        return Long.getLong("berth.image.gunzip.min", DEFAULT_MIN);
    }

    static String binary() {
        return System.getProperty("berth.image.gunzip.binary", "igzip");
    }

    /** Whether a layer of {@code compressedSize} bytes should be decompressed externally. */
    static boolean wanted(long compressedSize) {
        long min = minSize();
        return min >= 0 && compressedSize >= min;
    }

    /**
     * Starts {@code igzip -dc} on {@code compressed}; returns null when the binary cannot be started (the caller
     * then decompresses in Java). {@code compressed} is read by another thread from now on, until this stream
     * is closed.
     */
    static ExternalGunzip open(InputStream compressed, String layerName) {
        return open(compressed, layerName, binary());
    }

    static ExternalGunzip open(InputStream compressed, String layerName, String binary) {
        Process p;
        try {
            p = new ProcessBuilder(List.of(binary, "-dc")).start();
        } catch (IOException e) {
            return null;
        }
        return new ExternalGunzip(p, compressed, layerName);
    }

    private ExternalGunzip(Process process, InputStream compressed, String layerName) {
        this.process = process;
        this.stdout = process.getInputStream();
        this.layerName = layerName;
        String tag = layerName.length() > 19 ? layerName.substring(7, 19) : layerName;
        feeder = new Thread(() -> feed(compressed), "igzip-feed-" + tag);
        feeder.setDaemon(true);
        feeder.start();
        errors = new Thread(this::collectErrors, "igzip-stderr-" + tag);
        errors.setDaemon(true);
        errors.start();
    }

    private void feed(InputStream compressed) {
        byte[] buf = new byte[1 << 16];
        try (OutputStream stdin = process.getOutputStream()) {
            int n;
            while (!closed && (n = compressed.read(buf)) >= 0) {
                try {
                    stdin.write(buf, 0, n);
                } catch (IOException brokenPipe) {
                    // igzip stopped reading (it ended or failed): its exit status says which; the caller drains
                    // and hashes the rest of the compressed bytes itself
                    return;
                }
            }
        } catch (IOException e) {
            // reading the download failed (network, disk) or close() interrupted us: the reader rethrows it as is
            feedFailure = e;
            process.destroyForcibly();
        } catch (RuntimeException e) {
            feedFailure = new IOException(e);
            process.destroyForcibly();
        }
    }

    private void collectErrors() {
        byte[] buf = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) >= 0) {
                synchronized (stderr) {
                    if (stderr.size() < 4096) {
                        stderr.write(buf, 0, Math.min(n, 4096 - stderr.size()));
                    }
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (ended) {
            return -1;
        }
        int n;
        try {
            n = stdout.read(b, off, len);
        } catch (IOException e) {
            n = -1; // the pipe broke: the process status below tells why
        }
        if (n < 0) {
            ended = true;
            checkExit();
        }
        return n;
    }

    /** At the end of igzip's output: the feed and the process must both have succeeded. */
    private void checkExit() throws IOException {
        int status;
        try {
            feeder.join();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failed("igzip did not exit after the end of its output, on layer " + layerName
                        + ". Set berth.image.gunzip.min=-1 to decompress in Java instead");
            }
            status = process.exitValue();
            errors.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while decompressing layer " + layerName);
        }
        IOException fed = feedFailure;
        if (fed != null) {
            throw fed;
        }
        if (status == 0) {
            return;
        }
        String message;
        synchronized (stderr) {
            message = stderr.toString(StandardCharsets.UTF_8).trim();
        }
        if (status > 128 || message.isEmpty()) {
            throw new Failed("igzip (external gunzip) stopped with status " + status + " while decompressing layer "
                    + layerName + (message.isEmpty() ? "" : ": " + message) + ". Set berth.image.gunzip.min=-1 to"
                    + " decompress in Java instead");
        }
        throw new LayerFetcher.CorruptContentException("igzip cannot decompress it (status " + status + "): " + message,
                null);
    }

    /** Stops the child and the feeding thread; afterwards the compressed source may be read by the caller again. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        feeder.interrupt(); // a feeder waiting for the next downloaded chunk stops waiting
        try {
            feeder.join();
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stdout.close();
    }
}
