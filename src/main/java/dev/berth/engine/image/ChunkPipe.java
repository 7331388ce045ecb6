package dev.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a source stream on its own thread into a bounded queue of chunks, so that downloading and hashing
 * (the producer) overlap with decompressing and unpacking (the reader of this stream). Failures of the source
 * are rethrown to the reader, unchanged, when it reaches them.
 */
final class ChunkPipe extends InputStream {
    private static final byte[] END = new byte[0];
    private static final int CHUNK = 128 * 1024;

    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(64);
    private final Thread producer;
    private volatile boolean cancelled;
    private volatile Throwable failure;
    private byte[] current;
    private int pos;
    private boolean ended;

    ChunkPipe(InputStream source, String name) {
        producer = new Thread(() -> produce(source), name);
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(InputStream source) {
        try {
            byte[] buf = new byte[CHUNK];
            int filled = 0;
            while (!cancelled) {
                int n = source.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
                if (filled >= CHUNK / 2) {
                    put(Arrays.copyOf(buf, filled));
                    filled = 0;
                }
            }
            if (filled > 0) {
                put(Arrays.copyOf(buf, filled));
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                put(END);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(byte[] chunk) throws InterruptedException {
        while (!cancelled) {
            if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                return;
            }
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
        if (len == 0) {
            return 0;
        }
        while (current == null || pos == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading a layer");
            }
            pos = 0;
            if (current == END) {
                ended = true;
                current = null;
                Throwable f = failure;
                if (f instanceof IOException io) {
                    throw io;
                }
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error err) {
                    throw err;
                }
                return -1;
            }
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads and discards the rest, so the producer hashes and stores every byte. */
    void drain() throws IOException {
        byte[] buf = new byte[CHUNK];
        while (read(buf, 0, buf.length) >= 0) {
            // discard
        }
    }

    /** Stops the producer (close the source first so a blocked read returns) and waits for it to finish. */
    void stop() {
        cancelled = true;
        queue.clear();
        try {
            producer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
