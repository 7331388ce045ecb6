package dev.berth.engine.runtime;

/** One client connection to a monitor: write input, resize the PTY, send signals. Thread-safe. */
public interface Attachment extends AutoCloseable {
    /** Sends bytes to the process' stdin (PTY input in TTY mode). Ignored by the monitor without openStdin. */
    void write(byte[] bytes);

    /** Closes the process' stdin (pipes mode) or sends EOF (^D) in TTY mode. */
    void closeStdin();

    /** Sets the PTY size (TIOCSWINSZ; the process gets SIGWINCH). Works before the process starts. */
    void resize(int cols, int rows);

    /** Sends a signal to the process (the container's init for containers). */
    void signal(int signal);

    /** True until the connection ends. */
    boolean isOpen();

    /** Detaches; the process keeps running. */
    @Override
    void close();
}
