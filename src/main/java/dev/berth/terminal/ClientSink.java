package dev.berth.terminal;

import java.util.Map;

/**
 * How the hub reaches one connected client (a WebSocket in production). Calls come from the hub's threads and
 * must not block: each send reports completion through {@code done} (called once, also on failure), and the hub
 * never has more than one send of a client outstanding, so a client that stops reading stops completing sends.
 */
public interface ClientSink {
    /** Terminal output: bytes {@code seq .. seq+length-1} of the stream. */
    void sendOutput(long seq, byte[] bytes, int offset, int length, Runnable done);

    /**
     * Terminal output that every client up to date gets as it is: the same object for each of them, so the sink
     * may encode it once ({@link SharedOutput#encoded}). By default, like {@link #sendOutput(long, byte[], int, int, Runnable)}.
     */
    default void sendOutput(SharedOutput output, Runnable done) {
        sendOutput(output.seq(), output.bytes(), 0, output.bytes().length, done);
    }

    /** A repaint: after it the client's screen is the terminal's screen at sequence {@code seq}. */
    void sendSnapshot(long seq, int cols, int rows, byte[] repaint, Runnable done);

    /** A small control message (type plus fields), encoded by the adapter (JSON on the WebSocket). */
    void sendControl(Map<String, Object> message, Runnable done);

    /** Ends the connection (program exited, session ended, access revoked). */
    void close(int code, String reason);
}
