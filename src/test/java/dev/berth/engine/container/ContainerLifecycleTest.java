package dev.berth.engine.container;

import static dev.berth.engine.container.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.EngineException;
import dev.berth.engine.runtime.AttachListener;
import dev.berth.engine.runtime.Attachment;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.StreamKind;

/** Containers on the real native runtime (as root): lifecycle, logs, stats, top, copy, volumes. */
class ContainerLifecycleTest {
    EngineFixture engine;
    ContainerService service;

    @BeforeEach
    void setUp() throws Exception {
        engine = new EngineFixture();
        service = engine.service;
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void createStartPauseStopRestartRemove() throws Exception {
        String id = engine.run(ContainerSpec.builder("busybox:test").name("life")
                .cmd("sh", "-c", "echo hello; echo oops >&2; exec sleep 1000").build());
        ContainerInspect running = service.inspect("life");
        assertThat(running.State().Status()).isEqualTo("running");
        assertThat(running.State().Running()).isTrue();
        assertThat(running.State().Pid()).isPositive();
        assertThat(running.State().StartedAt()).isNotNull();
        await("output", () -> engine.logs(id).contains("oops"));
        assertThat(engine.logs(id)).contains("hello\n");
        StringBuilder stdoutOnly = new StringBuilder();
        service.logs(id, new LogQuery(true, false, null, null, -1, false), e -> stdoutOnly.append(e.text()).length() > 0);
        assertThat(stdoutOnly.toString()).contains("hello").doesNotContain("oops");

        TopResult top = service.top(id, List.of());
        assertThat(top.titles()).contains("PID", "CMD");
        assertThat(top.processes()).anySatisfy(row -> assertThat(String.join(" ", row)).contains("sleep 1000"));
        ContainerStats stats = service.stats(id);
        assertThat(stats.pids()).isGreaterThanOrEqualTo(1);
        assertThat(stats.memoryUsage()).isPositive();

        service.pause(id);
        assertThat(service.inspect(id).State().Status()).isEqualTo("paused");
        assertThat(service.inspect(id).State().Paused()).isTrue();
        assertThatThrownBy(() -> service.pause(id)).isInstanceOf(EngineException.class).hasMessageContaining("paused");
        service.unpause(id);
        assertThat(service.inspect(id).State().Status()).isEqualTo("running");

        assertThatThrownBy(() -> service.remove(id, false, true)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.CONFLICT));
        // sleep as pid 1 ignores SIGTERM: stop must fall back to SIGKILL after the grace period
        service.stop(id, 1);
        ContainerInspect stopped = service.inspect(id);
        assertThat(stopped.State().Status()).isEqualTo("exited");
        assertThat(stopped.State().ExitCode()).isEqualTo(137);
        assertThat(stopped.State().FinishedAt()).isNotNull();
        assertThat(service.waitFor(id, "not-running").get(5, TimeUnit.SECONDS)).isEqualTo(137);

        service.restart(id, 1);
        assertThat(service.inspect(id).State().Status()).isEqualTo("running");
        CompletableFuture<Integer> removed = service.waitFor(id, "removed");
        service.remove(id, true, true);
        assertThat(removed.get(30, TimeUnit.SECONDS)).isEqualTo(137);
        assertThatThrownBy(() -> service.inspect(id)).hasMessageContaining("No such container");
        assertThat(engine.actions(id)).containsSubsequence("create", "start", "pause", "unpause", "die", "stop", "start",
                "restart", "die", "destroy");
    }

    @Test
    void pausedContainersCanBeStoppedAndForceRemoved() throws Exception {
        String stopped = engine.run(ContainerSpec.of("busybox:test", "sleep", "1000"));
        service.pause(stopped);
        service.stop(stopped, 1);
        assertThat(service.inspect(stopped).State().Status()).isEqualTo("exited");
        String removed = engine.run(ContainerSpec.of("busybox:test", "sleep", "1000"));
        service.pause(removed);
        CompletableFuture<Integer> gone = service.waitFor(removed, "removed");
        service.remove(removed, true, true);
        assertThat(gone.get(30, TimeUnit.SECONDS)).isEqualTo(137);
    }

    @Test
    void exitCodesAndWaitConditions() throws Exception {
        String id = service.create(ContainerSpec.of("busybox:test", "sh", "-c", "exit 3")).Id();
        CompletableFuture<Integer> next = service.waitFor(id, "next-exit");
        service.start(id);
        assertThat(next.get(30, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(service.inspect(id).State().ExitCode()).isEqualTo(3);
        assertThat(service.waitFor(id, "not-running").get(1, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(engine.actions(id)).containsSubsequence("start", "die");
        assertThat(engine.events.stream().filter(e -> e.id().equals(id) && e.action().equals("die")).findFirst().orElseThrow()
                .attributes()).containsEntry("exitCode", "3");

        String killed = engine.run(ContainerSpec.of("busybox:test", "sleep", "1000"));
        service.kill(killed, "SIGKILL");
        assertThat(service.waitFor(killed, "not-running").get(30, TimeUnit.SECONDS)).isEqualTo(137);
        assertThatThrownBy(() -> service.kill(killed, "SIGNOPE")).hasMessageContaining("SIGNOPE");
    }

    @Test
    void autoRemoveRemovesTheContainerAndItsAnonymousVolumes() throws Exception {
        String id = service.create(ContainerSpec.builder("busybox:test").cmd("true").autoRemove(true)
                .mounts(List.of(new MountSpec(MountSpec.VOLUME, null, "/scratch", false))).build()).Id();
        String volume = service.inspect(id).Mounts().get(0).Name();
        CompletableFuture<Integer> removed = service.waitFor(id, "removed");
        service.start(id);
        assertThat(removed.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(engine.volumes.find(volume)).isEmpty();
    }

    @Test
    void logsTailSinceAndFollow() throws Exception {
        String id = engine.run(ContainerSpec.builder("busybox:test").cmd("sh", "-c",
                "echo one; echo two; echo three; sleep 1; echo four; read x; echo five; exec sleep 1000")
                .openStdin(true).build());
        await("four", () -> engine.logs(id).contains("four"));
        List<LogEntry> all = new ArrayList<>();
        service.logs(id, LogQuery.all(), all::add);
        assertThat(all).extracting(LogEntry::text).containsExactly("one\n", "two\n", "three\n", "four\n");

        List<String> tail = new ArrayList<>();
        service.logs(id, new LogQuery(true, true, null, null, 2, false), e -> tail.add(e.text()));
        assertThat(tail).containsExactly("three\n", "four\n");

        Instant fourAt = all.get(3).time();
        assertThat(fourAt).isAfter(all.get(0).time());
        List<String> since = new ArrayList<>();
        service.logs(id, new LogQuery(true, true, fourAt, null, -1, false), e -> since.add(e.text()));
        assertThat(since).containsExactly("four\n");

        // follow: the existing lines, then new ones as they come, until the reader says stop
        List<String> followed = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> follow = CompletableFuture.runAsync(() -> service.logs(id,
                new LogQuery(true, true, null, null, 1, true), e -> {
                    followed.add(e.text());
                    return !e.text().contains("five");
                }));
        await("followed tail", () -> followed.contains("four\n"));
        RunningProcess p = service.process(id).orElseThrow().unwrap(RunningProcess.class).orElseThrow();
        try (Attachment a = p.attach(new AttachListener() {
            @Override
            public void onOutput(StreamKind stream, byte[] bytes) {
            }
        }, false)) {
            a.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        follow.get(30, TimeUnit.SECONDS);
        assertThat(followed).containsExactly("four\n", "five\n");
    }

    @Test
    void cpuPercentIsComputedBetweenSamples() throws Exception {
        String id = engine.run(ContainerSpec.of("busybox:test", "sh", "-c", "while :; do :; done"));
        service.stats(id);
        ContainerStats second = service.stats(id);
        assertThat(second.previous()).isNotNull();
        assertThat(second.sample().cpuTotalNanos()).as("container CPU time grows: %s", second).isGreaterThan(second.previous().cpuTotalNanos());
        assertThat(second.sample().systemCpuNanos()).isGreaterThan(second.previous().systemCpuNanos());
        assertThat(second.cpuPercent()).isPositive();
    }

    @Test
    void copyOutOfARunningContainerNeverFollowsLinksOutOfIt() throws Exception {
        String id = engine.run(ContainerSpec.of("busybox:test", "sh", "-c",
                "ln -s / /rootlink; ln -s ../../../../../../../etc /climb; echo inside > /tmp/mine; "
                        + "ln -s /etc/shadow /shadow; echo ready; exec sleep 1000"));
        await("ready", () -> engine.logs(id).contains("ready"));
        // the container's /etc/passwd is the busybox one, not the host's
        String containerPasswd = Files.readString(engine.rootfs.resolve("etc/passwd"));
        assertThat(copyOut(id, "/climb/passwd")).containsEntry("passwd", containerPasswd);
        assertThat(copyOut(id, "/rootlink/tmp/mine")).containsEntry("mine", "inside\n");
        assertThat(copyOut(id, "/shadow")).containsEntry("shadow", "-> /etc/shadow");
        assertThatThrownBy(() -> copyOut(id, "/shadow/")).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> copyOut(id, "/climb/shadow")).hasMessageContaining("No such file");

        service.copyIn(id, "/tmp", new ByteArrayInputStream(new Tar().file("uploaded.txt", "up").bytes()));
        assertThat(copyOut(id, "/tmp/uploaded.txt")).containsEntry("uploaded.txt", "up");
        service.copyIn(id, "/climb", new ByteArrayInputStream(new Tar().file("planted", "x").bytes()));
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/etc/planted"))).isFalse();
        assertThat(copyOut(id, "/etc/planted")).containsEntry("planted", "x");
    }

    @Test
    void namedVolumesAreSharedAndInitialisedFromTheImage() throws Exception {
        String writer = service.create(ContainerSpec.builder("busybox:test").cmd("sh", "-c",
                "cat /srv/www/index.html; echo written > /srv/www/note").mounts(List.of(MountSpec.volume("site", "/srv/www"))).build()).Id();
        CompletableFuture<Integer> done = service.waitFor(writer, "next-exit");
        service.start(writer);
        assertThat(done.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(engine.logs(writer)).contains("from the image");
        String reader = service.create(ContainerSpec.builder("busybox:test").cmd("cat", "/data/note")
                .mounts(List.of(MountSpec.volume("site", "/data"))).build()).Id();
        CompletableFuture<Integer> read = service.waitFor(reader, "next-exit");
        service.start(reader);
        assertThat(read.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(engine.logs(reader)).isEqualTo("written\n");
        assertThat(Files.readString(engine.volumes.dataDir("site").resolve("note"))).isEqualTo("written\n");
    }

    private java.util.Map<String, String> copyOut(String id, String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.copyOut(id, path, out);
        return Tar.read(out.toByteArray());
    }
}
