package dev.berth.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * A minimal event loop for tests: one thread, one selector, a task queue; what a server's loop does for a
 * {@link ReadLoop}, without a server. A callback or task that throws is kept in {@link #failure}.
 */
public final class SelectorLoop implements ReadLoop, AutoCloseable {
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    public volatile Throwable failure;

    public SelectorLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    public Thread thread() {
        return thread;
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void register(SelectableChannel channel, Consumer<SelectionKey> onReady) throws IOException {
        if (!inLoop()) throw new IllegalStateException("register off the loop's thread");
        channel.register(selector, (SelectionKey.OP_READ | SelectionKey.OP_WRITE) & channel.validOps(), onReady);
    }

    @SuppressWarnings("unchecked")
    private void run() {
        while (running) {
            try {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isValid()) ((Consumer<SelectionKey>) k.attachment()).accept(k);
                }
                selector.selectedKeys().clear();
                for (Runnable r; (r = tasks.poll()) != null; ) r.run();
            } catch (Throwable t) {
                if (failure == null) failure = t;
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
