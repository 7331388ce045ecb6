package dev.berth.engine.runtime;

/**
 * Receives what an {@link Attachment} reads from the monitor. Called from one reader thread per attachment, in
 * order; implementations must not block for long (hand off to your own queue).
 */
public interface AttachListener {
    /** A chunk of output (scrollback first when requested, then live output). */
    void onOutput(StreamKind stream, byte[] bytes);

    /** All scrollback has been delivered; what follows is live. Called once, also when no scrollback was asked. */
    default void onLive() { }

    /** The process ended. No more output follows. */
    default void onExit(ExitStatus status) { }

    /**
     * The connection ended, after {@link #onExit} or because of {@code error} (the monitor dropped a client that
     * could not keep up, or died). Called exactly once.
     */
    default void onClosed(Throwable error) { }
}
