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

    /** A repaint: after it the client's screen is the terminal's screen at sequence {@code seq}. */
    void sendSnapshot(long seq, int cols, int rows, byte[] repaint, Runnable done);

    /** A small control message (type plus fields), encoded by the adapter (JSON on the WebSocket). */
    void sendControl(Map<String, Object> message, Runnable done);

    /** Ends the connection (program exited, session ended, access revoked). */
    void close(int code, String reason);
}
