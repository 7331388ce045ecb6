package dev.berth.web.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.engine.container.Trees;

/** The disk a volume uses counts while containers write to it. */
class VolumeDiskUsageTest {
    @TempDir
    Path dir;

    private Thread churn;
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void stopChurn() throws Exception {
        stop.set(true);
        if (churn != null) churn.join();
    }

    @Test
    void countsRegularFilesOnlyAndNotWhatLinksPointTo() throws Exception {
        Files.write(dir.resolve("a"), new byte[1000]);
        Files.createDirectories(dir.resolve("sub/deeper"));
        Files.write(dir.resolve("sub/deeper/b"), new byte[234]);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a"));
        Files.createSymbolicLink(dir.resolve("loop"), dir);
        assertThat(QuotaGuard.diskUsage(dir)).isEqualTo(1234);
        assertThat(QuotaGuard.diskUsage(dir.resolve("missing"))).isZero();
    }

    @Test
    void filesThatComeAndGoWhileTheVolumeIsWalkedDoNotHideTheOthers() throws Exception {
        Files.write(dir.resolve("steady"), new byte[1 << 20]);
        // a program that keeps creating and removing directories of files (a build in a volume, say)
        churn = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                Path d = dir.resolve("tmp" + (n % 4));
                try {
                    Files.createDirectories(d);
                    for (int i = 0; i < 20; i++) Files.write(d.resolve("f" + i), new byte[10]);
                    Trees.deleteRecursively(d);
                } catch (Exception e) {
                    // the walk never changes anything: only this thread writes
                    throw new AssertionError(e);
                }
            }
        });
        churn.start();
        for (int i = 0; i < 300; i++) {
            // before, a file that vanished between the listing and its size made the whole volume count 0 bytes
            assertThat(QuotaGuard.diskUsage(dir)).as("walk %d", i).isGreaterThanOrEqualTo(1 << 20);
        }
    }
}
