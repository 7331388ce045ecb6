package dev.berth.terminal;

import java.io.IOException;

/**
 * Where a terminal's bytes come from: a container's TTY or an exec session (through the engine's attach), or in
 * tests a PTY process. The hub is its only reader: {@link #start} is called once and output arrives on the
 * source's own thread, in order.
 */
public interface TerminalSource {

    /** Receives output in order, on one thread. */
    interface Output {
        void data(byte[] bytes, int offset, int length);

        /**
         * Like {@code data(bytes, 0, bytes.length)} for an array the source hands over: it never writes to it
         * again, so the hub keeps it without a copy (sources that reuse a read buffer call {@link #data}).
         */
        default void handOver(byte[] bytes) {
            data(bytes, 0, bytes.length);
        }

        /** The program ended (or the attachment was lost; status -1 when unknown). No data follows. */
        void exited(int status);
    }

    /** Starts delivering output. Called exactly once. */
    void start(Output output) throws IOException;

    /** Sends input to the program (keystrokes, pastes, terminal responses). */
    void write(byte[] bytes) throws IOException;

    /** Sets the PTY window size (TIOCSWINSZ; the program gets SIGWINCH). */
    void resize(int cols, int rows) throws IOException;

    /** Detaches; the program itself keeps running unless the source owns it. */
    void close();
}
