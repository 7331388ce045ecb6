package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;

/**
 * An event loop (one thread and a selector) that can read an {@link Attachment}'s socket, so the attachment needs
 * no thread of its own and its output arrives on the thread that also serves the attachment's users: a server's
 * network event loop. Then a keystroke's echo is read and sent on by one thread, without waking a second one.
 * The engine only uses {@code java.nio} through it; the server adapts its own loops.
 */
public interface ReadLoop {
    /** True on the loop's own thread. */
    boolean inLoop();

    /** Runs {@code task} on the loop's thread, after the tasks submitted before it. */
    void execute(Runnable task);

    /**
     * On the loop's thread: registers the non-blocking {@code channel} with the loop's selector for reading and
     * writing (as far as the channel supports them), or, when it is registered with it already, sets that interest
     * again and its callback to {@code onReady}. While the channel is ready for an operation in the key's interest,
     * the loop calls {@code onReady} with the key, on its thread; the callback changes the key's interest as it needs.
     */
    void register(SelectableChannel channel, Consumer<SelectionKey> onReady) throws IOException;
}
