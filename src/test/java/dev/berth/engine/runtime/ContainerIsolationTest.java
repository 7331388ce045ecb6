package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a process inside a container can see and do: namespaces, mounts, capabilities, seccomp, fds. */
class ContainerIsolationTest {
    private RuntimeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuntimeFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private RuntimeFixture.Result sh(String script) throws Exception {
        return fx.run(fx.container("/bin/sh", "-c", script).build());
    }

    @Test
    void exitCodeAndBothStreamsAreReported() throws Exception {
        RuntimeFixture.Result r = sh("echo out; echo err >&2; exit 3");
        assertThat(r.status().code()).isEqualTo(3);
        assertThat(r.status().signal()).isZero();
        assertThat(r.status().oomKilled()).isFalse();
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void theProcessIsPid1AndSeesNoHostProcesses() throws Exception {
        RuntimeFixture.Result r = sh("echo $$; ls /proc | grep -E '^[0-9]+$' | wc -l");
        String[] lines = r.stdout().trim().split("\n");
        assertThat(lines[0]).isEqualTo("1");
        // sh itself, the pipeline's ls/grep/wc: nothing from the host (which runs hundreds)
        assertThat(Integer.parseInt(lines[1].trim())).isLessThanOrEqualTo(5);
    }

    @Test
    void hostnameIsTheContainers() throws Exception {
        RuntimeFixture.Result r = fx.run(fx.container("/bin/hostname").hostname("box-one").build());
        assertThat(r.stdout()).isEqualTo("box-one\n");
    }

    @Test
    void devHasOnlyTheDefaultDevices() throws Exception {
        RuntimeFixture.Result r = sh("ls -A /dev | tr '\\n' ' '; echo; ls /dev/pts; readlink /dev/ptmx");
        String[] lines = r.stdout().split("\n");
        assertThat(lines[0].trim().split(" ")).containsExactlyInAnyOrder("console", "core", "fd", "full", "mqueue",
                "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty", "urandom", "zero");
        assertThat(lines[1]).isEqualTo("ptmx");
        assertThat(lines[2]).isEqualTo("pts/ptmx");
    }

    @Test
    void procAndSysAreMaskedAndReadOnlyLikeDocker() throws Exception {
        StringBuilder script = new StringBuilder();
        int masked = 0;
        for (String p : List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware")) {
            if (!Files.exists(Path.of(p))) continue; // this kernel does not have it
            masked++;
            script.append(Files.isDirectory(Path.of(p)) ? "ls -A " + p + " | wc -l; " : "cat " + p + " | wc -c; ");
        }
        script.append("echo 1 > /proc/sysrq-trigger && echo wrote-sysrq; echo x > /proc/sys/kernel/hostname && echo wrote-sys; ")
                .append("mkdir /sys/x && echo wrote-sysfs; grep ' /proc ' /proc/mounts; grep ' /sys ' /proc/mounts");
        RuntimeFixture.Result r = sh(script.toString());
        List<String> lines = List.of(r.stdout().split("\n"));
        assertThat(masked).isPositive();
        assertThat(lines.subList(0, masked)).allSatisfy(l -> assertThat(l.trim()).isEqualTo("0"));
        assertThat(r.stdout()).doesNotContain("wrote-");
        assertThat(lines.get(masked)).contains("nosuid").contains("nodev").contains("noexec");
        assertThat(lines.get(masked + 1)).startsWith("sysfs /sys sysfs ro,");
        assertThat(r.stderr()).contains("Read-only file system");
    }

    @Test
    void capabilitiesAreDockersDefaultAndMountIsRefused() throws Exception {
        RuntimeFixture.Result r = sh("grep -E '^(CapEff|CapPrm|CapBnd|CapInh|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status; "
                + "mkdir -p /mnt/t; mount -t tmpfs none /mnt/t && echo mounted");
        assertThat(r.stdout()).contains("CapEff:\t00000000a80425fb", "CapPrm:\t00000000a80425fb",
                "CapBnd:\t00000000a80425fb", "CapInh:\t0000000000000000", "CapAmb:\t0000000000000000",
                "NoNewPrivs:\t1", "Seccomp:\t2");
        assertThat(r.stdout()).doesNotContain("mounted");
        assertThat(r.stderr()).containsIgnoringCase("permission denied");
    }

    @Test
    void rawSocketsWorkAsInDockersDefaultSoPingWorks() throws Exception {
        // NET_RAW is one of Docker's 14; the container's own loopback is the only address involved
        RuntimeFixture.Result r = sh("ping -c 1 -W 2 127.0.0.1 >/dev/null && echo ping-ok");
        assertThat(r.stdout()).contains("ping-ok");
    }

    @Test
    void seccompRefusesUnshareAndNamespaceClones() throws Exception {
        RuntimeFixture.Result r = sh("unshare -m true && echo unshared; unshare -U true && echo userns");
        assertThat(r.stdout()).doesNotContain("unshared").doesNotContain("userns");
        assertThat(r.stderr()).contains("Operation not permitted");
    }

    @Test
    void noHostFileDescriptorSurvivesIntoTheContainer() throws Exception {
        RuntimeFixture.Result r = sh("ls /proc/$$/fd");
        Set<String> fds = Arrays.stream(r.stdout().trim().split("\\s+")).collect(Collectors.toSet());
        assertThat(fds).isSubsetOf("0", "1", "2", "3").contains("0", "1", "2");
    }

    @Test
    void workdirThroughProcSelfFdFailsSafely() throws Exception {
        for (String cwd : List.of("/proc/self/fd/3", "/proc/self/fd/4", "/proc/self/cwd", "/proc/1/root")) {
            assertThatThrownBy(() -> fx.start(fx.container("/bin/pwd").cwd(cwd).build()))
                    .isInstanceOf(EngineException.class)
                    .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("bad_workdir"))
                    .hasMessageContaining(cwd);
        }
    }

    @Test
    void symlinksInTheWorkdirStayInsideTheRootfs() throws Exception {
        // /escape -> ../../../../../.. in the image: resolved inside the rootfs it is just "/"
        RuntimeFixture.Result r = fx.run(fx.container("/bin/sh", "-c", "pwd; ls /").cwd("/escape/bin").build());
        assertThat(r.status().code()).isZero();
        // the listing is the container's root (it has /escape), not the host's (which has /work and /usr/lib/jvm)
        assertThat(r.stdout()).startsWith("/bin\n").contains("\nescape\n").doesNotContain("\nwork\n").doesNotContain("\nlib\n");
    }

    @Test
    void aMissingWorkdirIsCreated() throws Exception {
        RuntimeFixture.Result r = fx.run(fx.container("/bin/pwd").cwd("/srv/app/data").build());
        assertThat(r.stdout()).isEqualTo("/srv/app/data\n");
    }

    @Test
    void missingExecutableIsAClearError() throws Exception {
        assertThatThrownBy(() -> fx.start(fx.container("no-such-cmd", "x").build()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("executable file not found in $PATH")
                .hasMessageContaining("no-such-cmd")
                .satisfies(e -> {
                    assertThat(((EngineException) e).code()).isEqualTo("executable_not_found");
                    assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.INVALID_ARGUMENT);
                });
        assertThatThrownBy(() -> fx.start(fx.container("/usr/bin/absent").build()))
                .hasMessageContaining("/usr/bin/absent").hasMessageContaining("No such file");
    }

    @Test
    void unknownUserIsAClearError() throws Exception {
        assertThatThrownBy(() -> fx.start(fx.container("/bin/id").user("ghost").build()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("unable to find user ghost")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("bad_user"));
        assertThatThrownBy(() -> fx.start(fx.container("/bin/id").user("app:nogroup-here").build()))
                .hasMessageContaining("unable to find group nogroup-here");
    }

    @Test
    void userByNameGetsItsGroupsAndNoCapabilities() throws Exception {
        RuntimeFixture.Result r = fx.run(fx.container("/bin/sh", "-c", "id; grep CapEff /proc/self/status; echo $HOME")
                .user("app").build());
        assertThat(r.stdout()).contains("uid=1000(app) gid=1000(app)").contains("50(staff)");
        assertThat(r.stdout()).contains("CapEff:\t0000000000000000").contains("/home/app");
        RuntimeFixture.Result numeric = fx.run(fx.container("/bin/id").user("4242:50").build());
        assertThat(numeric.stdout()).contains("uid=4242").contains("gid=50(staff)");
    }

    @Test
    void bindMountsAreVisibleAndReadOnlyWhenAsked() throws Exception {
        Path src = Files.createDirectories(fx.dir.resolve("vol"));
        Files.writeString(src.resolve("hello.txt"), "from host\n");
        RuntimeFixture.Result r = fx.run(fx.container("/bin/sh", "-c",
                        "cat /data/ro/hello.txt; echo x > /data/ro/new && echo wrote-ro; echo y > /data/rw/new && echo wrote-rw")
                .mounts(List.of(new Mount(src, "/data/ro", true), new Mount(src, "/data/rw", false))).build());
        assertThat(r.stdout()).contains("from host").contains("wrote-rw").doesNotContain("wrote-ro");
        assertThat(Files.readString(src.resolve("new"))).isEqualTo("y\n");
    }

    @Test
    void bindMountTargetsCannotEscapeThroughSymlinks() throws Exception {
        Path src = Files.createDirectories(fx.dir.resolve("vol2"));
        Files.writeString(src.resolve("marker"), "m");
        Path outside = fx.dir.resolve("outside-target");
        // /escape points far outside; the mount must land inside the rootfs, not on the host
        RuntimeFixture.Result r = fx.run(fx.container("/bin/sh", "-c", "cat /escape/" + fx.dir.getFileName()
                        + "/outside-target/marker")
                .mounts(List.of(new Mount(src, "/escape/" + fx.dir.getFileName() + "/outside-target", false))).build());
        assertThat(r.stdout()).isEqualTo("m");
        assertThat(outside).doesNotExist();
    }
    @Test
    void anEntrypointThatExecsProcSelfExeCannotReachTheMonitorBinaryOnDisk() throws Exception {
        // CVE-2019-5736: "#!/proc/self/exe" makes the kernel run the runtime's own binary as the container process,
        // which then tries to write through /proc/self/exe. Ours runs from a sealed memfd copy (MonitorBinaryTest
        // checks /proc/<monitor>/exe), refuses unknown arguments, and the file on disk stays as built.
        Path before = MonitorBinary.fromBuildDir().path();
        byte[] original = Files.readAllBytes(before);
        RuntimeSpec.Builder b = fx.container("/evil");
        RuntimeSpec spec = b.build();
        dev.berth.engine.testing.TestRootfs.script(spec.upperDir(), "evil", "#!/proc/self/exe\n");
        RuntimeFixture.Result r = fx.run(spec);
        assertThat(r.status().code()).isEqualTo(2); // the monitor's usage error: it ran, from the memfd
        assertThat(Files.readAllBytes(before)).isEqualTo(original);
    }
    @Test
    void deviceNodesMayBeCreatedButOnlyTheDefaultDevicesOpened() throws Exception {
        // CAP_MKNOD is in Docker's set: mknod works, but the device rules refuse opening anything else
        RuntimeFixture.Result r = sh("mknod /tmp/disk b 8 0 && echo mknod-ok; head -c1 /tmp/disk >/dev/null || echo disk-denied; "
                + "mknod /tmp/kmsg c 1 11; head -c1 /tmp/kmsg >/dev/null || echo kmsg-denied; "
                + "head -c1 /dev/urandom >/dev/null && echo urandom-ok");
        assertThat(r.stdout()).contains("mknod-ok", "disk-denied", "kmsg-denied", "urandom-ok");
        assertThat(r.stderr()).contains("Operation not permitted");
    }
}
