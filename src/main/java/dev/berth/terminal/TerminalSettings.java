package dev.berth.terminal;

/**
 * Sizes of a hub's buffers.
 *
 * @param windowBytes     output kept for reconnects (bytes)
 * @param clientQueueBytes output queued for one client before it is dropped to resync
 * @param maxFrameBytes   largest output frame sent to a client (small queued chunks are coalesced up to this)
 * @param scrollbackLines lines of history kept by the server-side emulator and repainted to late joiners
 */
public record TerminalSettings(int windowBytes, int clientQueueBytes, int maxFrameBytes, int scrollbackLines) {
    public static final TerminalSettings DEFAULTS = new TerminalSettings(1 << 20, 4 << 20, 256 << 10, 1000);

    public TerminalSettings {
        if (windowBytes < 1024 || clientQueueBytes < 1024 || maxFrameBytes < 256 || scrollbackLines < 0) {
            throw new IllegalArgumentException("terminal buffer sizes too small: window " + windowBytes + ", client queue "
                    + clientQueueBytes + ", frame " + maxFrameBytes + ", scrollback " + scrollbackLines);
        }
    }
}
