package dev.berth.engine.image;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * A command-line pull for benchmarks and manual checks, without the web application:
 * {@code java -cp ... dev.berth.engine.image.PullCommand ENGINE_ROOT REFERENCE [RUNS]}. Each run pulls into a
 * fresh {@code ENGINE_ROOT-<n>} and prints the image id and the time the pull took inside the JVM; runs after
 * the first show a warm JVM, as in the running server. With {@code BERTH_BENCH_DROP_CACHES=1} the page cache is
 * dropped before each run (root only).
 */
public final class PullCommand {
    private PullCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PullCommand ENGINE_ROOT REFERENCE [RUNS]");
            System.exit(2);
        }
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int i = 1; i <= runs; i++) {
            Path root = Path.of(args[0] + (runs > 1 ? "-" + i : ""));
            ContentStore.deleteTree(root);
            if ("1".equals(System.getenv("BERTH_BENCH_DROP_CACHES"))) {
                new ProcessBuilder("sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches").inheritIO().start().waitFor();
            }
            long start = System.nanoTime();
            ImageStore store = new ImageStore(root, RegistrySettings.defaults(), ImageUsage.NONE);
            ImagePull pull = store.pull(args[1]);
            try {
                String id = pull.result().get();
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.println(id + " " + ms + " ms");
            } catch (ExecutionException e) {
                System.err.println(e.getCause().getMessage());
                System.exit(1);
            }
            if (runs > 1) {
                ContentStore.deleteTree(root);
            }
        }
    }
}
