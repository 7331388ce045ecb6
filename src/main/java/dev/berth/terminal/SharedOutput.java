package dev.berth.terminal;

/**
 * One output chunk as the hub offers it to every client: bytes {@code seq .. seq+bytes.length-1} of the stream.
 * A client that sends the chunk as it is (not coalesced with others, nothing to trim) passes this same object to
 * its sink, so the adapter can encode the frame once and send the same encoded bytes to every client
 * ({@link #encoded}: set by the first sink that encodes it; a race only encodes it twice).
 */
public final class SharedOutput {
    private final long seq;
    private final byte[] bytes;
    private volatile Object encoded;

    SharedOutput(long seq, byte[] bytes) {
        this.seq = seq;
        this.bytes = bytes;
    }

    public long seq() {
        return seq;
    }

    /** The chunk's bytes; never modify them. */
    public byte[] bytes() {
        return bytes;
    }

    /** The adapter's encoding of this chunk, or null if no sink encoded it yet. */
    public Object encoded() {
        return encoded;
    }

    public void encoded(Object frame) {
        encoded = frame;
    }
}
