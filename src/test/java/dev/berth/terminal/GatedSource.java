package dev.berth.terminal;

/**
 * A test source that reads on a thread of its own, with the hub's flow control: {@link #pauseOutput} closes a gate
 * and the reader waits in {@link #passGate} before its next read until {@link #resumeOutput}. The gate has a lock of
 * its own, so a subclass's own locking (a write waiting for the program) never holds up a resume.
 */
public abstract class GatedSource implements TerminalSource {
    private final Object gate = new Object();
    private boolean paused;

    @Override
    public final void pauseOutput() {
        synchronized (gate) {
            paused = true;
        }
    }

    @Override
    public final void resumeOutput() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** On the reader's thread: waits while output is paused. */
    protected final void passGate() throws InterruptedException {
        synchronized (gate) {
            while (paused) gate.wait();
        }
    }
}
