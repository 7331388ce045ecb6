package dev.berth.terminal;

import dev.berth.engine.runtime.ReadLoops;

import java.io.IOException;

/** A source that passes every call to another one; tests override the calls they watch or withhold. */
public class ForwardingSource implements TerminalSource {
    protected final TerminalSource source;

    public ForwardingSource(TerminalSource source) {
        this.source = source;
    }

    @Override
    public void start(Output output) throws IOException {
        source.start(output);
    }

    @Override
    public void useReadLoops(ReadLoops loops) {
        source.useReadLoops(loops);
    }

    @Override
    public void inputArrives() {
        source.inputArrives();
    }

    @Override
    public void pauseOutput() {
        source.pauseOutput();
    }

    @Override
    public void resumeOutput() {
        source.resumeOutput();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        source.write(bytes);
    }

    @Override
    public void resize(int cols, int rows) throws IOException {
        source.resize(cols, rows);
    }

    @Override
    public void close() {
        source.close();
    }
}
