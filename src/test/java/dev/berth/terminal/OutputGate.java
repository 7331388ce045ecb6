package dev.berth.terminal;

/**
 * Flow control for test sources that read on a thread of their own: {@link TerminalSource#pauseOutput} closes the
 * gate and the reader waits in {@link #pass} before its next read until {@link TerminalSource#resumeOutput}.
 */
public final class OutputGate {
    private boolean paused;

    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Waits while paused. */
    public synchronized void pass() throws InterruptedException {
        while (paused) wait();
    }
}
