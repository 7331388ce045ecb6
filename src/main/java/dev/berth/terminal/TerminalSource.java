package dev.berth.terminal;

import dev.berth.engine.runtime.ReadLoops;

import java.io.IOException;

/**
 * Where a terminal's bytes come from: a container's TTY or an exec session (through the engine's attach), or in
 * tests a PTY process. The hub is its only reader: {@link #start} is called once and output arrives in order, one
 * call at a time, from the source's reader (a thread of its own, or a server event loop the source reads on, see
 * {@link #useReadLoops}). The reader must never be blocked: the hub holds it back with {@link #pauseOutput}.
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

    /**
     * Before {@link #start}: the source may read on these event loops instead of a thread of its own. By default
     * it keeps its own reader.
     */
    default void useReadLoops(ReadLoops loops) { }

    /**
     * Input is arriving on the calling thread: a source that reads on event loops may move its reading to the
     * caller's loop, so that the echo is read and sent on by the thread that serves the typist. By default nothing.
     */
    default void inputArrives() { }

    /**
     * Holds output back until {@link #resumeOutput} (flow control: the program blocks on its writes once the
     * buffers between are full). Any thread; output already read may still arrive. Never blocks.
     */
    void pauseOutput();

    /** Delivers output again after {@link #pauseOutput}. Any thread. */
    void resumeOutput();

    /** Sends input to the program (keystrokes, pastes, terminal responses). */
    void write(byte[] bytes) throws IOException;

    /** Sets the PTY window size (TIOCSWINSZ; the program gets SIGWINCH). */
    void resize(int cols, int rows) throws IOException;

    /** Detaches; the program itself keeps running unless the source owns it. */
    void close();
}
