package dev.berth.terminal;

import dev.berth.engine.EngineException;
import dev.berth.engine.runtime.AttachListener;
import dev.berth.engine.runtime.Attachment;
import dev.berth.engine.runtime.ExitStatus;
import dev.berth.engine.runtime.ReadLoop;
import dev.berth.engine.runtime.ReadLoops;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.StreamKind;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A container's TTY (or an exec session's) through the engine's attach: one monitor connection, replaying the
 * monitor's recent output first so a terminal opened on a running container starts with what is on screen.
 */
public final class AttachedProcessSource implements TerminalSource {
    private static final Logger LOG = Logger.getLogger(AttachedProcessSource.class.getName());

    private final RunningProcess process;
    private final boolean withScrollback;
    private volatile Attachment attachment;
    private ReadLoops loops;

    public AttachedProcessSource(RunningProcess process, boolean withScrollback) {
        if (!process.tty()) {
            throw new IllegalArgumentException("process " + process.id() + " has no TTY: start it with tty to share its terminal");
        }
        this.process = process;
        this.withScrollback = withScrollback;
    }

    @Override
    public void useReadLoops(ReadLoops loops) {
        this.loops = loops;
    }

    @Override
    public void start(Output output) throws IOException {
        ReadLoop loop = loops == null ? null : loops.current().orElseGet(loops::next);
        attachment = process.attach(new AttachListener() {
            private volatile boolean exited;

            @Override
            public void onOutput(StreamKind stream, byte[] bytes) {
                output.handOver(bytes); // a fresh array per call (AttachListener)
            }

            @Override
            public void onExit(ExitStatus status) {
                exited = true;
                output.exited(status.signal() != 0 ? 128 + status.signal() : status.code());
            }

            @Override
            public void onClosed(Throwable error) {
                if (!exited) {
                    if (error != null) LOG.log(Level.WARNING, "attachment to " + process.id() + " ended", error);
                    output.exited(-1);
                }
            }
        }, withScrollback, loop);
    }

    @Override
    public void inputArrives() {
        Attachment a = attachment;
        if (a != null && loops != null) loops.current().ifPresent(a::readOn);
    }

    @Override
    public void pauseOutput() {
        Attachment a = attachment;
        if (a != null) a.pauseOutput();
    }

    @Override
    public void resumeOutput() {
        Attachment a = attachment;
        if (a != null) a.resumeOutput();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        Attachment a = attachment;
        if (a == null || !a.isOpen()) throw new IOException("terminal of " + process.id() + " is not attached");
        try {
            a.write(bytes);
        } catch (EngineException e) { // the program does not read its input (or the connection just ended)
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void resize(int cols, int rows) throws IOException {
        Attachment a = attachment;
        if (a == null || !a.isOpen()) throw new IOException("terminal of " + process.id() + " is not attached");
        a.resize(cols, rows);
    }

    @Override
    public void close() {
        Attachment a = attachment;
        if (a != null) a.close();
    }
}
