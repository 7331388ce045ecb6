package dev.berth.engine.runtime;

/** One client connection to a monitor: write input, resize the PTY, send signals. Thread-safe. */
public interface Attachment extends AutoCloseable {
    /**
     * Sends bytes to the process' stdin (PTY input in TTY mode). Ignored by the monitor without openStdin. Read by a
     * thread of its own, the attachment waits while the monitor takes no input; read by a {@link ReadLoop} it never
     * waits: what the monitor does not take yet waits in order in memory, and a write that would make that more than
     * 8 MiB fails whole (EngineException {@code input_backlog}), as the program is not reading its input.
     */
    void write(byte[] bytes);

    /** Closes the process' stdin (pipes mode) or sends EOF (^D) in TTY mode. */
    void closeStdin();

    /** Sets the PTY size (TIOCSWINSZ; the process gets SIGWINCH). Works before the process starts. */
    void resize(int cols, int rows);

    /** Sends a signal to the process (the container's init for containers). */
    void signal(int signal);

    /**
     * Stops reading the process' output until {@link #resumeOutput}: the monitor queues up to about 1 MiB for this
     * attachment and then stops reading the process' output, so the program blocks on its writes (flow control).
     * Any thread; output already read may still arrive.
     */
    void pauseOutput();

    /** Reads the process' output again after {@link #pauseOutput}. Any thread. */
    void resumeOutput();

    /**
     * Moves the reading of an attachment opened on a {@link ReadLoop} to {@code loop}, e.g. the loop that serves
     * the person typing, so that the echo of a keystroke is read and sent on by the same thread. Nothing is lost or
     * repeated. No-op for an attachment read by a thread of its own. Any thread.
     */
    void readOn(ReadLoop loop);

    /** True until the connection ends. */
    boolean isOpen();

    /** Detaches; the process keeps running. */
    @Override
    void close();
}
