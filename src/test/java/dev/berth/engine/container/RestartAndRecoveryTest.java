package dev.berth.engine.container;

import static dev.berth.engine.container.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.berth.engine.runtime.AttachListener;
import dev.berth.engine.runtime.Attachment;
import dev.berth.engine.runtime.MonitorBinary;
import dev.berth.engine.runtime.NativeRuntime;
import dev.berth.engine.runtime.RunningProcess;
import dev.berth.engine.runtime.StreamKind;

/**
 * Restart policies on real processes, and what a new engine finds after the old one's Java state is gone
 * (as after SIGKILL of the JVM): running containers re-adopted with logs and scrollback, dead ones marked
 * exited with their policy applied.
 */
class RestartAndRecoveryTest {
    EngineFixture engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = new EngineFixture();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private ContainerInspect inspect(String id) {
        return engine.service.inspect(id);
    }

    @Test
    void onFailureStopsAfterItsRetries() throws Exception {
        String id = engine.run(ContainerSpec.builder("busybox:test").cmd("sh", "-c", "echo run; exit 1")
                .restartPolicy(RestartPolicy.parse("on-failure:2")).build());
        await("two retries, then exited", () -> inspect(id).RestartCount() == 2 && inspect(id).State().Status().equals("exited"));
        ContainerInspect done = inspect(id);
        assertThat(done.State().ExitCode()).isEqualTo(1);
        assertThat(engine.actions(id).stream().filter("start"::equals).count()).isEqualTo(3);
        assertThat(engine.actions(id).stream().filter("die"::equals).count()).isEqualTo(3);
        assertThat(engine.logs(id)).as("logs are kept across restarts, as Docker's").isEqualTo("run\nrun\nrun\n");
    }

    @Test
    void alwaysRestartsUntilAUserStopsIt() throws Exception {
        String id = engine.run(ContainerSpec.builder("busybox:test").cmd("sh", "-c", "echo run")
                .restartPolicy(RestartPolicy.parse("always")).build());
        await("restarted twice", () -> inspect(id).RestartCount() >= 2);
        engine.service.stop(id, 1);
        ContainerInspect stopped = inspect(id);
        assertThat(stopped.State().Status()).isEqualTo("exited");
        int count = stopped.RestartCount();
        Thread.sleep(1500); // longer than the back-off reached so far: a restart would have happened
        assertThat(inspect(id).State().Status()).isEqualTo("exited");
        assertThat(inspect(id).RestartCount()).isEqualTo(count);
    }

    @Test
    void unlessStoppedRespectsAUserStopAcrossEngineRestartsButAlwaysDoesNot() throws Exception {
        String unless = engine.run(ContainerSpec.builder("busybox:test").name("unless").cmd("sleep", "1000")
                .restartPolicy(RestartPolicy.parse("unless-stopped")).build());
        String always = engine.run(ContainerSpec.builder("busybox:test").name("always").cmd("sleep", "1000")
                .restartPolicy(RestartPolicy.parse("always")).build());
        engine.service.stop(unless, 0);
        engine.service.stop(always, 0);
        assertThat(inspect(unless).State().Status()).isEqualTo("exited");
        engine.reopen();
        await("always restarted with the engine", () -> inspect(always).State().Running());
        assertThat(inspect(unless).State().Status()).isEqualTo("exited");
    }

    @Test
    void runningContainersAreReadoptedWithLogsAndScrollback() throws Exception {
        String id = engine.run(ContainerSpec.builder("busybox:test").name("survivor").tty(true).openStdin(true)
                .cmd("sh", "-c", "echo before-crash; exec sleep 1000").build());
        await("output", () -> engine.logs(id).contains("before-crash"));
        long pid = inspect(id).State().Pid();

        engine.reopen(); // the old service's Java state is gone; the monitor and the process are not

        ContainerInspect adopted = inspect("survivor");
        assertThat(adopted.State().Status()).isEqualTo("running");
        assertThat(adopted.State().Pid()).isEqualTo(pid);
        assertThat(engine.logs(id)).contains("before-crash");
        RunningProcess p = engine.service.process(id).orElseThrow().unwrap(RunningProcess.class).orElseThrow();
        ByteArrayOutputStream scrollback = new ByteArrayOutputStream();
        CountDownLatch live = new CountDownLatch(1);
        try (Attachment a = p.attach(new AttachListener() {
            @Override
            public synchronized void onOutput(StreamKind stream, byte[] bytes) {
                scrollback.write(bytes, 0, bytes.length);
            }

            @Override
            public void onLive() {
                live.countDown();
            }
        }, true)) {
            assertThat(live.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(scrollback.toString(StandardCharsets.UTF_8)).contains("before-crash");
        }
        // the new service watches the adopted process: stop works and is recorded
        engine.service.stop(id, 1);
        assertThat(inspect(id).State().Status()).isEqualTo("exited");
        assertThat(inspect(id).State().ExitCode()).isEqualTo(137);
    }

    @Test
    void containersThatDiedMeanwhileAreMarkedExitedAndTheirPolicyApplied() throws Exception {
        String plain = engine.run(ContainerSpec.builder("busybox:test").name("plain").cmd("sleep", "1000").build());
        String policy = engine.run(ContainerSpec.builder("busybox:test").name("policy").cmd("sleep", "1000")
                .restartPolicy(RestartPolicy.parse("on-failure:3")).build());
        java.nio.file.Path plainDir = engine.service.runtimeDir(plain);
        java.nio.file.Path policyDir = engine.service.runtimeDir(policy);
        long plainPid = inspect(plain).State().Pid();
        long policyPid = inspect(policy).State().Pid();

        engine.service.close(); // "the JVM is gone": nobody records what happens next
        ProcessHandle.of(plainPid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(policyPid).ifPresent(ProcessHandle::destroyForcibly);
        NativeRuntime runtime = new NativeRuntime(MonitorBinary.fromBuildDir());
        await("monitors recorded both exits", () -> runtime.lastExit(plainDir).isPresent() && runtime.lastExit(policyDir).isPresent());

        engine.reopen();
        ContainerInspect p = inspect("plain");
        assertThat(p.State().Status()).isEqualTo("exited");
        assertThat(p.State().ExitCode()).isEqualTo(137);
        await("on-failure restarted the other", () -> inspect("policy").State().Running());
        assertThat(inspect("policy").RestartCount()).isEqualTo(1);
        assertThat(inspect("policy").State().Pid()).isNotEqualTo(policyPid);
    }
}
