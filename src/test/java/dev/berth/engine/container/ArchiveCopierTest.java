package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.engine.EngineException;

/** Copy out and in through overlay-style layers, with hostile links that must stay inside the container root. */
class ArchiveCopierTest {
    @TempDir
    Path tmp;
    Path host;
    Path lower;
    Path upper;
    LayeredRoot view;

    @BeforeEach
    void layout() throws Exception {
        host = Files.createDirectories(tmp.resolve("host"));
        Files.writeString(Files.createDirectories(host.resolve("etc")).resolve("secret"), "HOST SECRET");
        lower = Files.createDirectories(tmp.resolve("lower"));
        upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(Files.createDirectories(lower.resolve("etc")).resolve("secret"), "container secret");
        Files.writeString(lower.resolve("etc/hosts"), "127.0.0.1 localhost");
        Files.writeString(lower.resolve("etc/gone"), "deleted in upper");
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/.wh.gone"), "");
        Files.writeString(upper.resolve("etc/hosts"), "10.0.0.1 changed");
        // hostile links: absolute, relative climbing, and a chain
        Files.createSymbolicLink(upper.resolve("evil"), host.resolve("etc"));
        Files.createSymbolicLink(upper.resolve("climb"), Path.of("../../../../../../../../" + host.resolve("etc").toString().substring(1)));
        Files.createSymbolicLink(upper.resolve("dots"), Path.of("../../../.."));
        view = new LayeredRoot(List.of(upper, lower), true);
    }

    @Test
    void upperShadowsLowerAndWhiteoutsHide() {
        assertThat(view.resolve("/etc/hosts", false)).get().extracting(LayeredRoot.Entry::host).isEqualTo(upper.resolve("etc/hosts"));
        assertThat(view.resolve("/etc/gone", false)).isEmpty();
        assertThat(view.list("/etc")).containsExactly("hosts", "secret");
    }

    @Test
    void hostileLinksResolveInsideTheRoot() {
        // an absolute link to a host path is read as that path inside the container: /<host>/etc does not exist there
        assertThat(view.resolve("/evil/secret", true)).isEmpty();
        // climbing with .. stops at the container root, landing on the container's own /etc
        assertThat(view.resolve("/dots/etc/secret", true)).get().extracting(LayeredRoot.Entry::host)
                .isEqualTo(lower.resolve("etc/secret"));
        assertThat(copyOut("/dots/etc/secret")).containsExactly(Map.entry("secret", "container secret"));
        assertThatThrownBy(() -> copyOut("/climb/secret")).isInstanceOf(EngineException.class).hasMessageContaining("No such file");
    }

    @Test
    void theLastLinkIsArchivedAsALinkNotFollowed() {
        assertThat(copyOut("/evil")).containsExactly(Map.entry("evil", "-> " + host.resolve("etc")));
        assertThat(copyOut("/climb").values()).allMatch(v -> v.startsWith("-> "));
    }

    @Test
    void directoriesAreArchivedMerged() {
        Map<String, String> entries = copyOut("/etc");
        assertThat(entries).containsEntry("etc/hosts", "10.0.0.1 changed").containsEntry("etc/secret", "container secret")
                .doesNotContainKey("etc/gone").doesNotContainKey("etc/.wh.gone");
        assertThat(entries.values()).noneMatch(v -> v.contains("HOST SECRET"));
    }

    @Test
    void copyInWritesIntoTheUpperDirAndNeverThroughLinks() throws Exception {
        byte[] tar = new Tar().file("new.txt", "hello").symlink("link", "/etc").file("link/planted", "via link")
                .file("evil/planted", "through a hostile link").bytes();
        assertThatThrownBy(() -> ArchiveCopier.copyIn(view, upper, "/etc", new ByteArrayInputStream(tar)))
                .isInstanceOf(EngineException.class);
        // what was written before the refused entry landed inside the container only
        assertThat(Files.readString(upper.resolve("etc/new.txt"))).isEqualTo("hello");
        assertThat(Files.readString(upper.resolve("etc/planted"))).isEqualTo("via link");
        assertThat(Files.exists(host.resolve("etc/planted"))).isFalse();
        // an upload whose target directory is a hostile link lands inside the root too
        byte[] tar2 = new Tar().file("x.txt", "x").bytes();
        assertThatThrownBy(() -> ArchiveCopier.copyIn(view, upper, "/evil", new ByteArrayInputStream(tar2)))
                .isInstanceOf(EngineException.class).hasMessageContaining("No such file");
        assertThat(Files.exists(host.resolve("etc/x.txt"))).isFalse();
    }

    @Test
    void opaqueDirectoriesHideLowerLayers() throws Exception {
        Path bottom = Files.createDirectories(tmp.resolve("bottom"));
        Files.writeString(Files.createDirectories(bottom.resolve("opt")).resolve("old.txt"), "old");
        Path middle = Files.createDirectories(tmp.resolve("middle"));
        Files.writeString(Files.createDirectories(middle.resolve("opt")).resolve("new.txt"), "new");
        Process p = new ProcessBuilder("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", middle.resolve("opt").toString())
                .inheritIO().start();
        assertThat(p.waitFor()).as("setfattr (Debian package attr) as root").isZero();
        LayeredRoot layered = new LayeredRoot(List.of(upper, middle, bottom), true);
        assertThat(layered.list("/opt")).containsExactly("new.txt");
        assertThat(layered.resolve("/opt/old.txt", false)).isEmpty();
        assertThat(new LayeredRoot(List.of(upper, bottom), true).resolve("/opt/old.txt", false)).isPresent();
    }

    @Test
    void dotDotEntriesAreRefused() {
        byte[] tar = new Tar().file("../../escape.txt", "x").bytes();
        assertThatThrownBy(() -> ArchiveCopier.copyIn(view, upper, "/etc", new ByteArrayInputStream(tar)))
                .hasMessageContaining("..");
        assertThat(Files.exists(tmp.resolve("escape.txt"))).isFalse();
    }

    private Map<String, String> copyOut(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ArchiveCopier.copyOut(view, path, out);
        return Tar.read(out.toByteArray());
    }
}
