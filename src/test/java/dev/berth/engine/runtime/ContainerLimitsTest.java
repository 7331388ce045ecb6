package dev.berth.engine.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** cgroup limits, the freezer, stats, top and cleanup. */
class ContainerLimitsTest {
    private RuntimeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuntimeFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void aForkBombIsStoppedByThePidsLimitWhileAnotherContainerStillAnswers() throws Exception {
        // the bombing subshell forks until the limit refuses; pid 1 stays (exec'd sleep) so the container lives on
        RunningProcess bomb = fx.start(fx.container("/bin/sh", "-c",
                "(while true; do sleep 1000 & done) 2>/dev/null & exec sleep 1000").limits(new Limits(0, 0, 32)).build());
        // wait until the bomb has hit its limit
        long pids = 0;
        for (int i = 0; i < 400 && pids < 32; i++) {
            pids = bomb.stats().pids();
            Thread.sleep(25);
        }
        assertThat(pids).isEqualTo(32);
        RuntimeFixture.Result other = fx.run(fx.container("/bin/echo", "still here").build());
        assertThat(other.stdout()).isEqualTo("still here\n");
        assertThat(bomb.stats().pids()).isLessThanOrEqualTo(32);
        assertThat(bomb.exit()).isNotDone();
    }

    @Test
    void aMemoryHogIsOomKilledWithExit137() throws Exception {
        RuntimeSpec spec = fx.container("/bin/tail", "/dev/zero").limits(new Limits(16L << 20, 0, 0)).build();
        ExitStatus s = fx.start(spec).exit().get(60, TimeUnit.SECONDS);
        assertThat(s.oomKilled()).isTrue();
        assertThat(s.signal()).isEqualTo(9);
        assertThat(s.code()).isEqualTo(137);
        assertThat(fx.runtime.lastExit(spec.stateDir())).contains(s);
    }

    @Test
    void cpuQuotaAndMemoryLimitAreWrittenToTheCgroup() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sleep", "1000").limits(new Limits(64L << 20, 500_000_000L, 100)).build());
        MonitorState st = ((MonitoredProcess) p).state();
        if (st.cgroupVersion() == 1) {
            Path cpu = st.cgroupWith("cpu.cfs_quota_us").orElseThrow();
            assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
            assertThat(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim()).isEqualTo("100000");
        } else {
            assertThat(Files.readString(st.cgroups().get(0).resolve("cpu.max")).trim()).isEqualTo("50000 100000");
        }
        ResourceStats stats = p.stats();
        assertThat(stats.memoryLimit()).isEqualTo(64L << 20);
        assertThat(stats.pids()).isEqualTo(1);
        assertThat(stats.memoryUsage()).isPositive();
        assertThat(stats.systemCpuNanos()).isPositive();
    }

    @Test
    void pauseFreezesAndResumeThawsAndTopListsTheProcesses() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "sleep 1000 & echo forked; while true; do sleep 1; done").build());
        RuntimeFixture.Collector out = new RuntimeFixture.Collector();
        p.attach(out, true);
        out.await(o -> o.contains("forked"));
        p.pause();
        assertThat(p.paused()).isTrue();
        String state = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        assertThat(state).matches("\\d+ \\(sh\\) [DST] .*\\s*");
        p.resume();
        assertThat(p.paused()).isFalse();
        List<ProcessInfo> top = p.top();
        assertThat(top).anySatisfy(i -> assertThat(i.pid()).isEqualTo(p.pid()));
        assertThat(top).hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(i -> assertThat(i.command()).isNotBlank());
        long cpu = p.stats().cpuUsageNanos();
        assertThat(cpu).isPositive();
    }

    @Test
    void killDeliversTheSignalAndTheCgroupIsRemovedAfterExit() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "trap 'exit 42' TERM; echo trapped; while true; do sleep 0.05; done").build());
        RuntimeFixture.Collector out = new RuntimeFixture.Collector();
        p.attach(out, true);
        out.await(o -> o.contains("trapped"));
        List<Path> cgroups = ((MonitoredProcess) p).state().cgroups();
        assertThat(cgroups).isNotEmpty().allSatisfy(c -> assertThat(c).isDirectory());
        p.kill(15);
        ExitStatus s = p.exit().get(20, TimeUnit.SECONDS);
        assertThat(s.code()).isEqualTo(42); // pid 1 only sees signals it handles, like in Docker
        for (int i = 0; i < 200 && cgroups.stream().anyMatch(Files::exists); i++) {
            Thread.sleep(10);
        }
        assertThat(cgroups).allSatisfy(c -> assertThat(c).doesNotExist());
        ProcessHandle monitor = ProcessHandle.of(p.monitorPid()).orElse(null);
        if (monitor != null) monitor.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sigkillGives137WithoutOom() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sleep", "1000").build());
        p.kill(9);
        ExitStatus s = p.exit().get(20, TimeUnit.SECONDS);
        assertThat(s.code()).isEqualTo(137);
        assertThat(s.signal()).isEqualTo(9);
        assertThat(s.oomKilled()).isFalse();
    }

    @Test
    void ulimitsAreClampedToTheHostsHardLimit() throws Exception {
        RuntimeFixture.Result r = fx.run(fx.container("/bin/sh", "-c", "ulimit -n; ulimit -Hn")
                .ulimits(List.of(new Ulimit("nofile", 100, Long.MAX_VALUE / 2))).build());
        String[] lines = r.stdout().trim().split("\n");
        assertThat(lines[0]).isEqualTo("100");
        long hostHard = Long.parseLong(new String(new ProcessBuilder("sh", "-c", "ulimit -Hn").start()
                .getInputStream().readAllBytes()).trim());
        assertThat(Long.parseLong(lines[1])).isEqualTo(hostHard);
    }
}
