package dev.berth.web.terminal;

import dev.berth.engine.runtime.ReadLoop;
import dev.berth.engine.runtime.ReadLoops;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.nio.NioTask;
import io.netty.util.concurrent.EventExecutor;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The server's Netty event loops (Vert.x's, which also serve the WebSockets) as {@link ReadLoop}s, so a terminal's
 * monitor socket is read by the loop of the WebSocket that types into it: a keystroke's echo then goes from the
 * monitor's socket to the browser's without waking another thread. Only Netty's NIO loops can watch another
 * channel; with any other transport {@link #of} gives nothing and attachments keep a reader thread.
 */
final class EventLoopReadLoops implements ReadLoops {
    private final List<Loop> loops;
    private final AtomicInteger turn = new AtomicInteger();

    private EventLoopReadLoops(List<Loop> loops) {
        this.loops = loops;
    }

    static Optional<ReadLoops> of(EventLoopGroup group) {
        List<Loop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            if (!(e instanceof NioEventLoop nio)) return Optional.empty();
            loops.add(new Loop(nio));
        }
        return loops.isEmpty() ? Optional.empty() : Optional.of(new EventLoopReadLoops(List.copyOf(loops)));
    }

    @Override
    public ReadLoop next() {
        return loops.get(Math.floorMod(turn.getAndIncrement(), loops.size()));
    }

    @Override
    public Optional<ReadLoop> current() {
        for (Loop l : loops) {
            if (l.inLoop()) return Optional.of(l);
        }
        return Optional.empty();
    }

    private record Loop(NioEventLoop loop) implements ReadLoop {
        @Override
        public boolean inLoop() {
            return loop.inEventLoop();
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void register(SelectableChannel channel, Consumer<SelectionKey> onReady) {
            int ops = (SelectionKey.OP_READ | SelectionKey.OP_WRITE) & channel.validOps();
            loop.register(channel, ops, new NioTask<SelectableChannel>() {
                @Override
                public void channelReady(SelectableChannel ch, SelectionKey key) {
                    onReady.accept(key);
                }

                @Override
                public void channelUnregistered(SelectableChannel ch, Throwable cause) {
                    // the channel was closed (the attachment reports that itself)
                }
            });
        }
    }
}
