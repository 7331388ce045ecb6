package dev.berth.engine.runtime;

import dev.berth.engine.EngineException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TTY sharing, resize, scrollback, adopt after the JVM-side objects are gone, exec, BeforeExec, logs. */
class AttachTest {
    private RuntimeFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new RuntimeFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoClientsShareOneTtyInputFromEitherAndResizeReachesStty() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh").tty(true).openStdin(true).build());
        RuntimeFixture.Collector c1 = new RuntimeFixture.Collector(), c2 = new RuntimeFixture.Collector();
        // Both ask for the scrollback, so both must see the same stream from the very first byte,
        // whichever attached first and whatever the shell printed in between.
        Attachment a1 = p.attach(c1, true), a2 = p.attach(c2, true);
        a1.write(b("echo one-$((40+2))\n"));
        c1.await(o -> o.contains("one-42"));
        c2.await(o -> o.contains("one-42"));
        a2.resize(101, 37);
        a2.write(b("stty size; tty\n"));
        c1.await(o -> o.contains("37 101"));
        String both = c2.await(o -> o.contains("37 101") && o.contains("/dev/pts/0"));
        assertThat(both).contains("/dev/pts/0");
        a1.write(b("exit 7\n"));
        assertThat(p.exit().get(20, TimeUnit.SECONDS).code()).isEqualTo(7);
        assertThat(c1.exit.get(10, TimeUnit.SECONDS).code()).isEqualTo(7);
        assertThat(c2.exit.get(10, TimeUnit.SECONDS).code()).isEqualTo(7);
        // both saw the very same bytes
        c1.closed.await(10, TimeUnit.SECONDS);
        c2.closed.await(10, TimeUnit.SECONDS);
        assertThat(c1.out()).isEqualTo(c2.out());
    }

    @Test
    void pipesModeKeepsStdoutAndStderrApartAndStdinCanBeClosed() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c", "cat; echo done >&2").openStdin(true).build());
        RuntimeFixture.Collector c = new RuntimeFixture.Collector();
        Attachment a = p.attach(c, true);
        a.write(b("via stdin\n"));
        c.await(o -> o.equals("via stdin\n"));
        a.closeStdin();
        assertThat(p.exit().get(20, TimeUnit.SECONDS).code()).isZero();
        c.closed.await(10, TimeUnit.SECONDS);
        assertThat(c.err()).isEqualTo("done\n");
    }

    @Test
    void adoptReconnectsWithScrollbackAfterTheJvmSideObjectsAreDropped() throws Exception {
        RuntimeSpec spec = fx.container("/bin/sh").tty(true).openStdin(true).build();
        RunningProcess first = fx.start(spec);
        RuntimeFixture.Collector c = new RuntimeFixture.Collector();
        Attachment a = first.attach(c, false);
        a.write(b("echo marker-$((6*7))\n"));
        c.await(o -> o.contains("marker-42"));
        a.close();
        long pid = first.pid();
        ((MonitoredProcess) first).forget();

        // a new runtime, as after a JVM restart
        NativeRuntime again = new NativeRuntime(MonitorBinary.fromBuildDir());
        RunningProcess adopted = again.adopt(spec.stateDir()).orElseThrow();
        fx.track(adopted);
        assertThat(adopted.pid()).isEqualTo(pid);
        assertThat(adopted.id()).isEqualTo(spec.id());
        RuntimeFixture.Collector back = new RuntimeFixture.Collector();
        Attachment a2 = adopted.attach(back, true);
        back.await(o -> o.contains("marker-42"));
        a2.write(b("exit 3\n"));
        assertThat(adopted.exit().get(20, TimeUnit.SECONDS).code()).isEqualTo(3);
        assertThat(again.adopt(spec.stateDir())).isEmpty();
        assertThat(again.lastExit(spec.stateDir()).orElseThrow().code()).isEqualTo(3);
        assertThatThrownBy(() -> adopted.attach(new RuntimeFixture.Collector(), true))
                .isInstanceOf(EngineException.class).hasMessageContaining("not running");
    }

    /**
     * The monitor keeps the newest output frames that fit in its 64 KiB scrollback ring, stored around the ring's
     * end: after output several times that size, a late attach gets an unbroken tail of it, up to the last byte.
     */
    @Test
    void aLateAttachGetsAnUnbrokenTailOfOutputManyTimesTheScrollbackRing() throws Exception {
        RunningProcess p = fx.start(fx.container("/bin/sh", "-c",
                "i=0; while [ $i -lt 6000 ]; do echo line-$i-abcdefghijklmnopqrstuvwxyz; i=$((i+1)); done; echo tail-marker; read x")
                .tty(true).openStdin(true).build());
        RuntimeFixture.Collector first = new RuntimeFixture.Collector();
        Attachment a = p.attach(first, true);
        first.await(o -> o.contains("tail-marker"));
        RuntimeFixture.Collector late = new RuntimeFixture.Collector();
        p.attach(late, true);
        String tail = late.await(o -> o.endsWith("tail-marker\r\n"));
        assertThat(tail.length()).isBetween(16 << 10, (64 << 10) - 5); // ASCII: characters are bytes
        String[] lines = tail.split("\r\n");
        int expected = -1;
        for (int i = 1; i < lines.length - 1; i++) { // the first line may be cut where its frame was evicted
            int n = Integer.parseInt(lines[i].substring(5, lines[i].indexOf('-', 5)));
            if (expected >= 0) assertThat(n).as("line after line %d", expected - 1).isEqualTo(expected);
            assertThat(lines[i]).isEqualTo("line-" + n + "-abcdefghijklmnopqrstuvwxyz");
            expected = n + 1;
        }
        assertThat(expected).isEqualTo(6000);
        assertThat(first.out()).endsWith(tail);
        a.write(b("\n"));
        assertThat(p.exit().get(20, TimeUnit.SECONDS).code()).isZero();
    }

    @Test
    void execJoinsTheContainerAndAResizeBeforeItsInputIsNotLost() throws Exception {
        RunningProcess c = fx.start(fx.container("/bin/sh", "-c", "echo $$ > /tmp/init; sleep 1000").hostname("exec-box").build());
        ExecSpec spec = new ExecSpec(Files.createTempDirectory(fx.dir, "x"), List.of("/bin/sh", "-c",
                "cat /tmp/init; hostname; read line; stty size"),
                List.of(), "/tmp", "", true, true, new TerminalSize(77, 11), null);
        RunningProcess e = fx.exec(c, spec);
        RuntimeFixture.Collector out = new RuntimeFixture.Collector();
        Attachment a = e.attach(out, true);
        a.resize(91, 13); // before the process asks for its size
        out.await(o -> o.contains("exec-box"));
        a.write(b("\n"));
        String text = out.await(o -> o.contains("13 91"));
        assertThat(e.exit().get(20, TimeUnit.SECONDS).code()).isZero();
        assertThat(text).startsWith("1\r\n"); // the container's init is pid 1 in the pid namespace we joined
        assertThat(e.pid()).isNotEqualTo(c.pid());
        assertThat(c.exit()).isNotDone();

        LogConfig log = new LogConfig(fx.dir.resolve("exec2.log"), 1 << 16, 1);
        ExecSpec sized = new ExecSpec(Files.createTempDirectory(fx.dir, "x"), List.of("stty", "size"),
                List.of(), "/", "", true, false, new TerminalSize(77, 11), log);
        assertThat(fx.exec(c, sized).exit().get(20, TimeUnit.SECONDS).code()).isZero();
        assertThat(new LogReader(log).read(LogQuery.ALL)).extracting(r -> new String(r.bytes(), StandardCharsets.UTF_8))
                .containsExactly("11 77\r\n");
    }

    @Test
    void execOfAMissingCommandIsAClearError() throws Exception {
        RunningProcess c = fx.start(fx.container("/bin/sleep", "1000").build());
        assertThatThrownBy(() -> fx.exec(c, fx.execSpec(false, "nope")))
                .isInstanceOf(EngineException.class).hasMessageContaining("executable file not found in $PATH");
    }

    @Test
    void beforeExecRunsWithTheInitPidAndCanAbortTheStart() throws Exception {
        AtomicLong seen = new AtomicLong();
        RuntimeSpec ok = fx.container("/bin/cat", "/etc/hosts").beforeExec(pid -> {
            seen.set(pid);
            Files.writeString(java.nio.file.Path.of("/proc", Long.toString(pid), "root", "etc", "hosts"), "127.0.0.1 hooked\n");
        }).build();
        RuntimeFixture.Result r = fx.run(ok);
        assertThat(seen.get()).isPositive();
        assertThat(r.stdout()).isEqualTo("127.0.0.1 hooked\n");

        RuntimeSpec bad = fx.container("/bin/true").beforeExec(pid -> {
            throw new IllegalStateException("no veth for you");
        }).build();
        assertThatThrownBy(() -> fx.start(bad)).isInstanceOf(EngineException.class)
                .hasMessageContaining("no veth for you")
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("before_exec_failed"));
    }

    @Test
    void logsRotateAndReadBackWithTailAndStreams() throws Exception {
        RuntimeSpec spec = fx.container("/bin/sh", "-c",
                        "i=0; while [ $i -lt 3000 ]; do echo line-$i; i=$((i+1)); done; echo oops >&2")
                .log(new LogConfig(fx.dir.resolve("c.log"), 4096, 3)).build();
        RuntimeFixture.Result r = fx.run(spec);
        assertThat(r.status().code()).isZero();
        assertThat(fx.dir.resolve("c.log.1")).exists();
        LogReader logs = new LogReader(spec.log());
        List<LogRecord> tail = logs.read(new LogQuery(3, null, null, true, false));
        assertThat(tail).extracting(l -> new String(l.bytes(), StandardCharsets.UTF_8))
                .containsExactly("line-2997\n", "line-2998\n", "line-2999\n");
        List<LogRecord> err = logs.read(new LogQuery(-1, null, null, false, true));
        assertThat(err).hasSize(1);
        assertThat(err.get(0).stream()).isEqualTo(StreamKind.STDERR);
        assertThat(logs.read(new LogQuery(-1, java.time.Instant.now().plusSeconds(60), null, true, true))).isEmpty();
    }

    @Test
    void followDeliversNewLinesAsTheyAreWritten() throws Exception {
        RuntimeSpec spec = fx.container("/bin/sh").openStdin(true).build();
        RunningProcess p = fx.start(spec);
        List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var f = new LogReader(spec.log()).follow(LogQuery.ALL, r -> got.add(new String(r.bytes(), StandardCharsets.UTF_8)))) {
            Attachment a = p.attach(new RuntimeFixture.Collector(), false);
            a.write(b("echo first\n"));
            a.write(b("echo second\n"));
            for (int i = 0; i < 400 && got.size() < 2; i++) Thread.sleep(25);
            assertThat(got).containsExactly("first\n", "second\n");
            a.closeStdin();
        }
        p.exit().get(20, TimeUnit.SECONDS);
    }
}
