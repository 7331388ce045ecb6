package dev.berth.engine.runtime;

/**
 * Receives what an {@link Attachment} reads from the monitor. Called in order, one call at a time, by the
 * attachment's reader: a thread of its own, or the {@link ReadLoop} that reads it (whose thread may change when the
 * reading moves, never in the middle of a call). The attachment is paced: while the listener is busy the monitor
 * queues up to about 1 MiB and then stops reading the process' output (the program blocks on its writes) rather
 * than dropping the attachment, so a listener that blocks slows the program down.
 */
public interface AttachListener {
    /**
     * A chunk of output (scrollback first when requested, then live output). The array is the listener's: the
     * connection allocates one per call and never touches it again, so it may be kept without a copy.
     */
    void onOutput(StreamKind stream, byte[] bytes);

    /** All scrollback has been delivered; what follows is live. Called once, also when no scrollback was asked. */
    default void onLive() { }

    /** The process ended. No more output follows. */
    default void onExit(ExitStatus status) { }

    /**
     * The connection ended, after {@link #onExit} or because of {@code error} (the monitor died or the connection
     * failed). Called exactly once.
     */
    default void onClosed(Throwable error) { }
}
