package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.engine.EngineException;
import dev.berth.engine.event.EngineEvent;
import dev.berth.engine.event.EngineEvents;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.engine.volume.VolumeService;

/**
 * What happens before any process runs: create with validation and clear errors, names, on-disk state that
 * a new service reloads, volumes (named, anonymous from image VOLUME, initialised from image content), remove,
 * rename, list filters, and copying files in and out of a created container.
 */
class ContainerCreateTest {
    @TempDir
    Path tmp;
    Path root;
    TestImages images;
    EngineEvents events;
    List<EngineEvent> seen;
    VolumeService volumes;
    ContainerService service;

    /** Refuses to start anything: these tests cover what happens before a process exists. */
    static final class NoProcesses implements ProcessRuntime {
        @Override
        public ContainerProcess start(LaunchRequest request) {
            throw new EngineException(EngineException.Reason.INTERNAL, "no_runtime", "not in this test");
        }

        @Override
        public Optional<ContainerProcess> adopt(Path runtimeDir) {
            return Optional.empty();
        }

        @Override
        public Optional<ExitStatus> recordedExit(Path runtimeDir) {
            return Optional.empty();
        }

        @Override
        public void readLogs(Path runtimeDir, LogQuery query, LogSink sink) {
        }

        @Override
        public void cleanup(Path runtimeDir) {
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        root = tmp.resolve("engine");
        Path rootfs = TestRootfs.busybox(tmp.resolve("busybox"));
        Files.writeString(Files.createDirectories(rootfs.resolve("data")).resolve("seed.txt"), "from the image");
        Files.writeString(Files.createDirectories(rootfs.resolve("srv/www")).resolve("index.html"), "<h1>hi</h1>");
        images = new TestImages()
                .add("busybox:test", List.of(rootfs), List.of("/bin/sh"), Set.of("/data"))
                .add("nocmd:test", List.of(rootfs), List.of(), Set.of());
        open();
    }

    private void open() {
        events = new EngineEvents();
        seen = new ArrayList<>();
        events.subscribe(seen::add);
        volumes = new VolumeService(root, events);
        service = new ContainerService(root, images, new NoProcesses(), volumes, events);
    }

    @Test
    void createResolvesImageDefaultsAndRequestOverrides() {
        ContainerInspect c = service.create(ContainerSpec.builder("busybox:test").name("web").cmd("echo", "hi")
                .env(List.of("FROM_IMAGE=overridden", "EXTRA=1")).labels(Map.of("tier", "front")).build());
        assertThat(c.Id()).matches("[0-9a-f]{64}");
        assertThat(c.Name()).isEqualTo("/web");
        assertThat(c.Path()).isEqualTo("echo");
        assertThat(c.Args()).containsExactly("hi");
        assertThat(c.Config().Env()).containsExactly("PATH=/bin", "FROM_IMAGE=overridden", "EXTRA=1");
        assertThat(c.Config().Hostname()).isEqualTo(c.Id().substring(0, 12));
        assertThat(c.State().Status()).isEqualTo("created");
        assertThat(c.Mounts()).singleElement().satisfies(m -> {
            assertThat(m.Destination()).isEqualTo("/data");
            assertThat(m.Type()).isEqualTo("volume");
        });
        assertThat(seen).extracting(EngineEvent::action).contains("create");
        assertThat(Files.isRegularFile(root.resolve("containers").resolve(c.Id()).resolve("config.json"))).isTrue();
        assertThat(Files.isRegularFile(root.resolve("containers").resolve(c.Id()).resolve("state.json"))).isTrue();
    }

    @Test
    void generatedNamesAreUniqueAndDuplicatesConflictNamingTheHolder() {
        ContainerInspect a = service.create(ContainerSpec.of("busybox:test"));
        assertThat(a.Name()).matches("/[a-z]+_[a-z]+[0-9]*");
        ContainerInspect b = service.create(ContainerSpec.builder("busybox:test").name("db").build());
        assertThatThrownBy(() -> service.create(ContainerSpec.builder("busybox:test").name("/db").build()))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EngineException.Reason.CONFLICT);
                    assertThat(e.getMessage()).contains("/db").contains(b.Id());
                });
        assertThatThrownBy(() -> service.rename(a.Id(), "db")).hasMessageContaining(b.Id());
        service.rename(a.Id(), "cache");
        assertThat(service.inspect("cache").Id()).isEqualTo(a.Id());
        service.create(ContainerSpec.builder("busybox:test").name(a.Name().substring(1)).build()); // old name is free again
    }

    @Test
    void clearErrorsForUnknownImageAndMissingCommand() {
        assertThatThrownBy(() -> service.create(ContainerSpec.of("nosuch/image:1")))
                .isInstanceOfSatisfying(EngineException.class, e -> {
                    assertThat(e.reason()).isEqualTo(EngineException.Reason.NOT_FOUND);
                    assertThat(e.code()).isEqualTo("image_not_found");
                    assertThat(e.getMessage()).contains("nosuch/image:1");
                });
        assertThatThrownBy(() -> service.create(ContainerSpec.of("nocmd:test")))
                .isInstanceOfSatisfying(SpecValidator.InvalidField.class, e -> assertThat(e.field()).isEqualTo("cmd"));
        assertThat(service.create(ContainerSpec.of("nocmd:test", "true")).Path()).isEqualTo("true");
        assertThat(service.list(new ContainerFilters(true, Map.of()))).hasSize(1);
    }

    @Test
    void stateSurvivesANewServiceOnTheSameRoot() {
        ContainerInspect c = service.create(ContainerSpec.builder("busybox:test").name("keep").cmd("sleep", "1").build());
        service.close();
        open();
        ContainerInspect again = service.inspect("keep");
        assertThat(again.Id()).isEqualTo(c.Id());
        assertThat(again.Args()).containsExactly("1");
        assertThat(again.State().Status()).isEqualTo("created");
        assertThatThrownBy(() -> service.create(ContainerSpec.builder("busybox:test").name("keep").build()))
                .hasMessageContaining("already in use");
    }

    @Test
    void listFilters() {
        ContainerInspect a = service.create(ContainerSpec.builder("busybox:test").name("alpha").labels(Map.of("env", "prod")).build());
        service.create(ContainerSpec.builder("nocmd:test").name("beta").cmd("true").labels(Map.of("env", "dev")).build());
        assertThat(service.list(ContainerFilters.running())).isEmpty();
        assertThat(names(Map.of("label", List.of("env=prod"))).stream()).containsExactly("alpha");
        assertThat(names(Map.of("label", List.of("env")))).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(names(Map.of("name", List.of("bet")))).containsExactly("beta");
        assertThat(names(Map.of("id", List.of(a.Id().substring(0, 8))))).containsExactly("alpha");
        assertThat(names(Map.of("ancestor", List.of("nocmd:test")))).containsExactly("beta");
        assertThat(names(Map.of("status", List.of("created")))).hasSize(2);
        assertThat(names(Map.of("status", List.of("running")))).isEmpty();
        assertThatThrownBy(() -> new ContainerFilters(true, Map.of("colour", List.of("red")))).hasMessageContaining("colour");
    }

    private List<String> names(Map<String, List<String>> filters) {
        return service.list(new ContainerFilters(true, filters)).stream().map(ContainerSummary::name).toList();
    }

    @Test
    void volumesAreReusedInitialisedFromTheImageAndGuarded() throws Exception {
        ContainerInspect a = service.create(ContainerSpec.builder("busybox:test").name("a1")
                .mounts(List.of(MountSpec.volume("site", "/srv/www"))).build());
        Path data = volumes.dataDir("site");
        assertThat(Files.readString(data.resolve("index.html"))).isEqualTo("<h1>hi</h1>");
        Files.writeString(data.resolve("index.html"), "changed by a1");
        ContainerInspect b = service.create(ContainerSpec.builder("busybox:test").name("b1")
                .mounts(List.of(MountSpec.volume("site", "/srv/www"))).build());
        assertThat(Files.readString(data.resolve("index.html"))).as("a non-empty volume is not re-initialised").isEqualTo("changed by a1");
        assertThat(volumes.usedBy("site")).containsExactlyInAnyOrder(a.Id(), b.Id());
        assertThatThrownBy(() -> volumes.remove("site", false)).isInstanceOfSatisfying(EngineException.class,
                e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.CONFLICT));
        // the anonymous volume for the image's VOLUME /data got the image's content and goes with its container
        String anonymous = a.Mounts().stream().filter(m -> m.Destination().equals("/data")).findFirst().orElseThrow().Name();
        assertThat(Files.readString(volumes.dataDir(anonymous).resolve("seed.txt"))).isEqualTo("from the image");
        service.remove(a.Id(), false, true);
        assertThat(volumes.find(anonymous)).isEmpty();
        assertThat(volumes.find("site")).as("named volumes stay").isPresent();
        service.remove("b1", false, true);
        volumes.remove("site", false);
        assertThat(volumes.find("site")).isEmpty();
        assertThat(seen).extracting(EngineEvent::action).contains("destroy");
        assertThat(Files.exists(root.resolve("containers").resolve(a.Id()))).isFalse();
    }

    @Test
    void filesCopyInAndOutOfACreatedContainer() throws Exception {
        ContainerInspect c = service.create(ContainerSpec.builder("busybox:test").name("files").build());
        service.copyIn("files", "/srv", new ByteArrayInputStream(new Tar().file("note.txt", "uploaded")
                .symlink("escape", "/../../../../etc").bytes()));
        Path upper = root.resolve("containers").resolve(c.Id()).resolve("rootfs/upper");
        assertThat(Files.readString(upper.resolve("srv/note.txt"))).isEqualTo("uploaded");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.copyOut("files", "/srv", out);
        assertThat(Tar.read(out.toByteArray())).containsEntry("srv/note.txt", "uploaded").containsEntry("srv/www/index.html", "<h1>hi</h1>");
        // through the planted link: resolves to the container's own /etc, never the host's
        ByteArrayOutputStream passwd = new ByteArrayOutputStream();
        service.copyOut("files", "/srv/escape/passwd", passwd);
        assertThat(Tar.read(passwd.toByteArray()).get("passwd")).startsWith("root:x:0:0:root:/root:/bin/sh")
                .isEqualTo(Files.readString(tmp.resolve("busybox/etc/passwd")));
        assertThatThrownBy(() -> service.copyOut("files", "/srv/escape/shadow", new ByteArrayOutputStream()))
                .hasMessageContaining("No such file");
    }

    @Test
    void copyingIntoAStoppedContainersVolumeWritesTheVolume() throws Exception {
        service.create(ContainerSpec.builder("busybox:test").name("vols").mounts(List.of(MountSpec.volume("webroot", "/srv/www"))).build());
        service.copyIn("vols", "/srv/www/", new ByteArrayInputStream(new Tar().file("added.html", "added").bytes()));
        assertThat(Files.readString(volumes.dataDir("webroot").resolve("added.html"))).isEqualTo("added");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        service.copyOut("vols", "/srv/www", out);
        assertThat(Tar.read(out.toByteArray())).containsEntry("www/added.html", "added").containsEntry("www/index.html", "<h1>hi</h1>");
    }

    @Test
    void unknownContainersAreNotFound() {
        assertThatThrownBy(() -> service.inspect("ghost")).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.reason()).isEqualTo(EngineException.Reason.NOT_FOUND);
            assertThat(e.getMessage()).contains("ghost");
        });
        assertThatThrownBy(() -> volumes.inspect("ghost")).hasMessageContaining("ghost");
    }
}
