package dev.berth.engine.image;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * A command-line pull for benchmarks and manual checks, without the web application:
 * {@code java -cp ... dev.berth.engine.image.PullCommand ENGINE_ROOT REFERENCE}. Prints the image id and the
 * time the pull took inside the JVM.
 */
public final class PullCommand {
    private PullCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PullCommand ENGINE_ROOT REFERENCE");
            System.exit(2);
        }
        long start = System.nanoTime();
        ImageStore store = new ImageStore(Path.of(args[0]), RegistrySettings.defaults(), ImageUsage.NONE);
        ImagePull pull = store.pull(args[1]);
        try {
            String id = pull.result().get();
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println(id + " " + ms + " ms");
        } catch (ExecutionException e) {
            System.err.println(e.getCause().getMessage());
            System.exit(1);
        }
    }
}
