package dev.berth.engine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Checks on host ports that tests published and released. */
public final class Ports {
    private Ports() {
    }

    /**
     * Asserts that a released host port can be bound on loopback again. Connections the test itself made to
     * the port may take a moment to close, so the bind is retried for up to five seconds before failing with
     * the last error.
     */
    public static void awaitBindable(int port) throws IOException, InterruptedException {
        IOException last = null;
        long deadline = System.nanoTime() + 5_000_000_000L;
        do {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        } while (System.nanoTime() < deadline);
        throw new IOException("host port " + port + " is still held 5 s after its release: " + last.getMessage(), last);
    }
}
