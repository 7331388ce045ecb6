package dev.berth.web.terminal;

import dev.berth.terminal.GatedSource;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fan-out through the real WebSocket: many readers on one terminal each follow the whole of a large output (by
 * position, across repaints), none is lost. The readers are the benchmark's (bench/terminals).
 */
@QuarkusTest
class TerminalFanoutTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int READERS = 10;
    private static final int BYTES = 2_000_000;

    @TestHTTPResource("/")
    URI base;
    @Inject
    TerminalRegistry registry;

    private final List<TerminalBenchmark.Reader> readers = new ArrayList<>();
    private String terminal;

    @AfterEach
    void cleanUp() {
        for (TerminalBenchmark.Reader r : readers) r.ws.abort();
        if (terminal != null) registry.close(terminal, "test over");
    }

    /** Emits {@code BYTES} bytes of output on the first input, in 4 KiB reads paced like a PTY's. */
    static final class Burst extends GatedSource {
        private Output output;

        @Override
        public void start(Output output) {
            this.output = output;
        }

        @Override
        public void write(byte[] bytes) {
            Thread t = new Thread(() -> {
                byte[] chunk = new byte[4096];
                Arrays.fill(chunk, (byte) 'x');
                for (int sent = 0; sent < BYTES; sent += chunk.length) {
                    try {
                        passGate();
                    } catch (InterruptedException e) {
                        return;
                    }
                    output.data(chunk, 0, Math.min(chunk.length, BYTES - sent));
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000); // paced like a PTY: many small frames
                }
            }, "burst");
            t.start();
        }

        @Override
        public void resize(int cols, int rows) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyReaderReachesTheEndOfALargeOutput() throws Exception {
        terminal = "fan-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(terminal, "admin", new Burst(), 80, 24);
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal + "?cols=80&rows=24");
        for (int i = 0; i < READERS; i++) {
            TerminalBenchmark.Reader r = new TerminalBenchmark.Reader(true);
            r.target = BYTES;
            r.ws = HTTP.newWebSocketBuilder().header("Authorization", WsClient.basic("admin", "test-admin-password"))
                    .buildAsync(uri, r).get(20, TimeUnit.SECONDS);
            readers.add(r);
        }
        readers.get(0).send("\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (readers.stream().anyMatch(r -> r.doneAt == 0 && r.error == null) && System.nanoTime() < deadline) Thread.sleep(20);
        for (TerminalBenchmark.Reader r : readers) {
            assertThat(r.error).as("reader %d at %d", readers.indexOf(r), r.position.get()).isNull();
            assertThat(r.position.get()).isEqualTo(BYTES);
        }
    }
}
