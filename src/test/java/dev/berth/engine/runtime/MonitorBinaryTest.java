package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorBinaryTest {

    @Test
    void installsA0555CopyAndReplacesATamperedOne(@TempDir Path engineRoot) throws Exception {
        Path built = MonitorBinary.fromBuildDir().path();
        MonitorBinary installed = MonitorBinary.install(engineRoot);
        Path bin = engineRoot.resolve("bin/berth-monitor");
        assertThat(installed.path()).isEqualTo(bin);
        assertThat(Files.readAllBytes(bin)).isEqualTo(Files.readAllBytes(built));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin))).isEqualTo("r-xr-xr-x");

        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(bin, new byte[] {1, 2, 3});
        MonitorBinary.install(engineRoot);
        assertThat(Files.readAllBytes(bin)).isEqualTo(Files.readAllBytes(built));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bin))).isEqualTo("r-xr-xr-x");
    }

    @Test
    void theMonitorRunsFromASealedMemfdNotFromTheFileOnDisk() throws Exception {
        try (RuntimeFixture fx = new RuntimeFixture()) {
            RunningProcess p = fx.start(fx.container("/bin/sleep", "1000").build());
            String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.monitorPid()), "exe")).toString();
            assertThat(exe).startsWith("/memfd:berth-monitor");
        }
    }
}
