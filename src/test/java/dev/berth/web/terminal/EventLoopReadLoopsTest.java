package dev.berth.web.terminal;

import dev.berth.engine.runtime.ReadLoop;
import dev.berth.engine.runtime.ReadLoops;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own Netty loops watch a channel for the engine: callbacks on the loop, the loop knows itself. */
@QuarkusTest
class EventLoopReadLoopsTest {
    @Inject
    Vertx vertx;

    @Test
    void aChannelWatchedByAServerLoopIsReadOnThatLoopAndItsInterestCanBeTurnedOffAndOn() throws Exception {
        Optional<ReadLoops> found = EventLoopReadLoops.of(vertx.nettyEventLoopGroup());
        assertThat(found).as("Quarkus runs Netty's NIO loops here").isPresent();
        ReadLoops loops = found.get();
        ReadLoop loop = loops.next();
        assertThat(loops.current()).as("the test thread is no loop").isEmpty();
        assertThat(loop.inLoop()).isFalse();

        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        CompletableFuture<SelectionKey> keyRef = new CompletableFuture<>();
        CompletableFuture<Boolean> currentIsLoop = new CompletableFuture<>();
        loop.execute(() -> {
            currentIsLoop.complete(loops.current().orElse(null) == loop && loop.inLoop());
            try {
                loop.register(pipe.source(), key -> {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    try {
                        pipe.source().read(b);
                    } catch (java.io.IOException e) {
                        seen.add("error " + e);
                    }
                    seen.add(new String(b.array(), 0, b.position()) + " on " + (loop.inLoop() ? "the loop" : Thread.currentThread().getName()));
                    keyRef.complete(key);
                });
            } catch (java.io.IOException e) {
                seen.add("error " + e);
            }
        });
        assertThat(currentIsLoop.get(5, TimeUnit.SECONDS)).isTrue();
        pipe.sink().write(ByteBuffer.wrap("one".getBytes()));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("one on the loop");

        SelectionKey key = keyRef.get();
        CompletableFuture<Void> paused = new CompletableFuture<>();
        loop.execute(() -> { // paused: data waits in the pipe (written only once the loop has applied it)
            key.interestOps(0);
            paused.complete(null);
        });
        paused.get(5, TimeUnit.SECONDS);
        pipe.sink().write(ByteBuffer.wrap("two".getBytes()));
        assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
        loop.execute(() -> key.interestOps(SelectionKey.OP_READ));
        assertThat(seen.poll(5, TimeUnit.SECONDS)).isEqualTo("two on the loop");
        pipe.sink().close();
        pipe.source().close();
    }
}
