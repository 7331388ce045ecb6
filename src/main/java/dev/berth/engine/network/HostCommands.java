package dev.berth.engine.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.berth.engine.EngineException;
import dev.berth.engine.EngineException.Reason;

/**
 * Runs {@code ip} and {@code nft} with a script on stdin. Each call is one fork: {@code ip -batch} and
 * {@code nft -f} apply many changes per process, which is what keeps network setup within a few
 * milliseconds. A container start no longer uses them: the runtime's monitor creates the veth over rtnetlink
 * (engine-native/src/netlink.c); {@code ip} is the fallback and serves connect, disconnect and bridges.
 */
final class HostCommands {

    private HostCommands() {
    }

    /** Runs {@code command} with {@code stdin}; returns stdout; throws with stderr when it fails. */
    static String run(List<String> command, String stdin, String what) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "network_tool_missing",
                    "Could not run " + command.get(0) + " to " + what + ": " + e.getMessage()
                            + ". Install iproute2, nftables and util-linux.", e);
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineException(Reason.INTERNAL, "network_setup_failed",
                        "Timed out trying to " + what + " with " + command.get(0) + ".");
            }
            if (p.exitValue() != 0) {
                throw new EngineException(Reason.INTERNAL, "network_setup_failed",
                        "Failed to " + what + ": " + command.get(0) + " said: "
                                + new String(err, StandardCharsets.UTF_8).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(Reason.INTERNAL, "network_setup_failed",
                    "Failed to " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new EngineException(Reason.INTERNAL, "network_setup_failed", "Interrupted while trying to " + what + ".");
        }
    }

    /** Like {@link #run} but ignores failure (for cleanup of things that may already be gone). */
    static void runQuietly(List<String> command, String stdin) {
        try {
            run(command, stdin, "clean up");
        } catch (EngineException ignored) {
            // already gone
        }
    }

    static void ipBatch(String script, String what) {
        run(List.of("ip", "-batch", "-"), script, what);
    }

    /** Runs an {@code ip} batch inside the network namespace at {@code netns}. */
    static void ipBatchIn(String netns, String script, String what) {
        run(List.of("nsenter", "--net=" + netns, "ip", "-batch", "-"), script, what);
    }
}
