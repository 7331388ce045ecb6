package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.berth.engine.EngineException;

/** Layer application: OCI layer semantics and path safety, each attack with a sentinel outside the layer. */
class LayerApplierTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;
    Path layer;
    Path outside;
    Path sentinel;

    @BeforeEach
    void setUp() throws Exception {
        layer = Files.createDirectories(tmp.resolve("layer"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        sentinel = Files.writeString(outside.resolve("sentinel"), "original");
    }

    private void apply(byte[] tar) throws Exception {
        new LayerApplier(layer, "test-layer").apply(new ByteArrayInputStream(tar));
    }

    private void assertRefused(byte[] tar) {
        assertThatThrownBy(() -> apply(tar)).isInstanceOf(EngineException.class)
                .satisfies(e -> assertThat(((EngineException) e).code()).isEqualTo("unsafe_layer"))
                .hasMessageContaining("test-layer");
        assertSentinelUntouched();
    }

    private void assertSentinelUntouched() {
        try {
            assertThat(Files.isSymbolicLink(sentinel)).isFalse();
            assertThat(Files.readString(sentinel)).isEqualTo("original");
            try (Stream<Path> s = Files.list(outside)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("sentinel");
            }
            try (Stream<Path> s = Files.list(tmp)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layer", "outside");
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void dotDotEntryIsRefused() {
        assertRefused(Tars.tar().file("../outside/sentinel", "pwned").bytes());
        assertRefused(Tars.tar().file("a/../../outside/sentinel", "pwned").bytes());
        assertRefused(Tars.tar().file("../escaped", "pwned").bytes());
    }

    @Test
    void absoluteNameStaysInsideTheLayer() throws Exception {
        apply(Tars.tar().file(sentinel.toString(), "inside").bytes());
        assertSentinelUntouched();
        assertThat(Files.readString(layer.resolve(sentinel.toString().substring(1)))).isEqualTo("inside");
    }

    @Test
    void fileThroughASymlinkedParentIsRefused() {
        assertRefused(Tars.tar().symlink("evil", outside.toString()).file("evil/sentinel", "pwned").bytes());
        assertRefused(Tars.tar().symlink("rel", "../outside").file("rel/sentinel", "pwned").bytes());
        assertRefused(Tars.tar().symlink("rel", "../outside").file("rel/new-file", "pwned").bytes());
        assertRefused(Tars.tar().symlink("d", outside.toString()).dir("d/sub").bytes());
    }

    @Test
    void fileOverASymlinkReplacesTheLinkInsteadOfWritingThroughIt() throws Exception {
        apply(Tars.tar().symlink("s", sentinel.toString()).file("s", "inside").bytes());
        assertSentinelUntouched();
        assertThat(Files.isSymbolicLink(layer.resolve("s"))).isFalse();
        assertThat(Files.readString(layer.resolve("s"))).isEqualTo("inside");
    }

    @Test
    void hardlinkToAHostFileIsRefused() {
        assertRefused(Tars.tar().hardlink("h", sentinel.toString()).bytes());
        assertRefused(Tars.tar().hardlink("h", "../outside/sentinel").bytes());
        assertRefused(Tars.tar().symlink("d", outside.toString()).hardlink("h", "d/sentinel").bytes());
        assertRefused(Tars.tar().symlink("d", "../outside").hardlink("h", "d/sentinel").bytes());
    }

    @Test
    void hardlinkToASymlinkLinksTheSymlinkItselfNotItsTarget() throws Exception {
        apply(Tars.tar().symlink("s", sentinel.toString()).hardlink("h", "s").bytes());
        assertSentinelUntouched();
        assertThat(Files.isSymbolicLink(layer.resolve("h"))).isTrue();
        assertThat(Files.isSameFile(layer.resolve("h"), sentinel)).isTrue(); // following it reaches the host path,
        // but only the container's root resolution ever follows it; the link inode itself is in the layer:
        assertThat((Object) Files.getAttribute(layer.resolve("h"), "unix:ino", NOFOLLOW))
                .isEqualTo(Files.getAttribute(layer.resolve("s"), "unix:ino", NOFOLLOW));
    }

    @Test
    void whiteoutThroughASymlinkOrMalformedIsRefused() {
        assertRefused(Tars.tar().symlink("evil", outside.toString()).whiteout("evil", "sentinel").bytes());
        assertRefused(Tars.tar().file("x/.wh..", "").bytes());
        assertRefused(Tars.tar().symlink("evil", outside.toString()).opaque("evil").bytes());
    }

    @Test
    void appliesFilesDirsLinksOwnersModesXattrsDevicesAndTimes() throws Exception {
        apply(Tars.tar()
                .dir("etc")
                .file("etc/hello", "hi")
                .fileOwned("bin/suid", "x", 04755, 1000, 2000, Map.of("user.berth", "value"))
                .symlink("etc/link", "hello")
                .hardlink("etc/hard", "etc/hello")
                .charDevice("dev/null", 1, 3)
                .fifo("run/pipe")
                .bytes());
        assertThat(Files.readString(layer.resolve("etc/hello"))).isEqualTo("hi");
        assertThat(Files.readSymbolicLink(layer.resolve("etc/link"))).isEqualTo(Path.of("hello"));
        assertThat(Files.isSameFile(layer.resolve("etc/hard"), layer.resolve("etc/hello"))).isTrue();
        Path suid = layer.resolve("bin/suid");
        assertThat(((Integer) Files.getAttribute(suid, "unix:mode")) & 07777).isEqualTo(04755);
        assertThat(Files.getAttribute(suid, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(suid, "unix:gid")).isEqualTo(2000);
        UserDefinedFileAttributeView x = Files.getFileAttributeView(suid, UserDefinedFileAttributeView.class);
        ByteBuffer buf = ByteBuffer.allocate(64);
        x.read("berth", buf);
        assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)).isEqualTo("value");
        assertThat(Files.getLastModifiedTime(layer.resolve("etc/hello"))).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat(Files.getLastModifiedTime(layer.resolve("etc"))).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat(Files.readAttributes(layer.resolve("dev/null"), java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).isOther()).isTrue();
        assertThat(Files.getAttribute(layer.resolve("dev/null"), "unix:rdev", NOFOLLOW)).isEqualTo(0x103L);
        assertThat(Files.readAttributes(layer.resolve("run/pipe"), java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).isOther()).isTrue();
    }

    @Test
    void whiteoutsBecomeOverlayCharDevicesAndOpaqueDirsGetTheXattr() throws Exception {
        apply(Tars.tar()
                .file("gone-later", "x")
                .whiteout("", "gone-later")
                .whiteout("etc", "removed.conf")
                .dir("var/cache")
                .opaque("var/cache")
                .file("var/cache/kept", "k")
                .bytes());
        for (Path w : new Path[]{layer.resolve("gone-later"), layer.resolve("etc/removed.conf")}) {
            assertThat(Files.readAttributes(w, java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).isOther()).isTrue();
            assertThat(Files.getAttribute(w, "unix:rdev", NOFOLLOW)).isEqualTo(0L);
        }
        assertThat(Files.exists(layer.resolve("etc/.wh.removed.conf"), NOFOLLOW)).isFalse();
        assertThat(Files.exists(layer.resolve("var/cache/.wh..wh..opq"), NOFOLLOW)).isFalse();
        assertThat(xattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
        assertThat(Files.readString(layer.resolve("var/cache/kept"))).isEqualTo("k");
    }

    @Test
    void binaryXattrsFromGnuTarKeepEveryByteAndOverlayXattrsAreIgnored() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("ping"), "data after the xattr header");
        Files.writeString(src.resolve("after"), "next entry");
        // a file capability (cap_net_raw+ep, the way ping ships) and a value with every awkward byte
        run("setfattr", "-n", "security.capability", "-v", "0x0100000200200000000000000000000000000000", src.resolve("ping").toString());
        run("setfattr", "-n", "user.bin", "-v", "0x00ff80fe0a3dc3", src.resolve("ping").toString());
        run("setfattr", "-n", "trusted.overlay.redirect", "-v", "/etc", src.resolve("after").toString());
        Path tar = tmp.resolve("layer.tar");
        run("tar", "--xattrs", "--xattrs-include=*", "-C", src.toString(), "-cf", tar.toString(), "ping", "after");
        Files.delete(src.resolve("ping"));
        Files.delete(src.resolve("after"));
        Files.delete(src);

        apply(Files.readAllBytes(tar));

        assertThat(Files.readString(layer.resolve("ping"))).isEqualTo("data after the xattr header");
        assertThat(Files.readString(layer.resolve("after"))).isEqualTo("next entry");
        assertThat(xattrHex(layer.resolve("ping"), "security.capability")).isEqualTo("0x0100000200200000000000000000000000000000");
        assertThat(xattrHex(layer.resolve("ping"), "user.bin")).isEqualTo("0x00ff80fe0a3dc3");
        assertThat(xattrHex(layer.resolve("after"), "trusted.overlay.redirect")).isEmpty();
        Files.delete(tar);
    }

    @Test
    void queuedDeviceNodesFollowTheirParentsAndNeverEscape() throws Exception {
        // device nodes are made in one batch per layer: a node whose parent is later replaced by a symbolic link
        // to the outside must not be made through that link
        assertRefused(Tars.tar().dir("d").charDevice("d/sentinel", 1, 3).symlink("d", outside.toString())
                .charDevice("d/sentinel", 1, 3).bytes());
        assertSentinelUntouched();
        Path d = layer.resolve("d");
        if (Files.exists(d, NOFOLLOW)) {
            ContentStore.deleteTree(d);
        }
        apply(Tars.tar().dir("d").charDevice("d/null", 1, 3).symlink("d", outside.toString()).bytes());
        assertThat(Files.readSymbolicLink(layer.resolve("d"))).isEqualTo(outside);
        assertThat(Files.exists(outside.resolve("null"), NOFOLLOW)).isFalse();
        assertSentinelUntouched();
    }

    @Test
    void manyNodesInOneLayerAndLaterEntriesSeeThem() throws Exception {
        Path other = layer;
        Tars t = Tars.tar().dir("dev");
        for (int i = 0; i < 600; i++) {
            t.charDevice("dev/c" + i, 1, i % 256);
        }
        t.fifo("dev/pipe").hardlink("dev/alias", "dev/c7").whiteout("etc", "gone").file("etc/gone", "back");
        new LayerApplier(other, "many-nodes").apply(new ByteArrayInputStream(t.bytes()));
        for (int i = 0; i < 600; i++) {
            assertThat(Files.getAttribute(other.resolve("dev/c" + i), "unix:rdev", NOFOLLOW)).isEqualTo((long) (0x100 | (i % 256)));
        }
        assertThat(Files.isSameFile(other.resolve("dev/alias"), other.resolve("dev/c7"))).isTrue();
        assertThat(Files.readAttributes(other.resolve("dev/pipe"), java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW).isOther()).isTrue();
        assertThat(Files.readString(other.resolve("etc/gone"))).isEqualTo("back");
        // a file under a node is refused: the node is made first, then seen as not a directory
        ContentStore.deleteTree(layer);
        Files.createDirectory(layer);
        assertRefused(Tars.tar().charDevice("n", 1, 3).file("n/x", "y").bytes());
    }

    @Test
    void aLayerDirectoryThatIsNotEmptyIsStillCheckedOnDisk() throws Exception {
        // the in-memory list of created names only stands in for lstat when the layer started empty
        Files.createSymbolicLink(layer.resolve("pre"), outside);
        assertRefused(Tars.tar().file("pre/sentinel", "pwned").bytes());
        assertSentinelUntouched();
    }

    @Test
    void deleteTreeRemovesDeepTreesAndLinksButNothingTheyPointTo() throws Exception {
        Path top = tmp.resolve("tree");
        Path cur = top;
        for (int i = 0; i < 300; i++) {
            cur = cur.resolve("d");
        }
        Files.createDirectories(cur);
        Files.writeString(cur.resolve("f"), "x");
        Files.createSymbolicLink(top.resolve("out"), outside);
        Files.createSymbolicLink(cur.resolve("out"), outside);
        ContentStore.deleteTree(top);
        assertThat(Files.exists(top, NOFOLLOW)).isFalse();
        assertSentinelUntouched();
        ContentStore.deleteTree(top); // already gone: no error
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    static String xattrHex(Path p, String name) throws Exception {
        Process proc = new ProcessBuilder("getfattr", "-h", "--only-values", "-e", "hex", "-n", name, p.toString()).start();
        byte[] raw = proc.getInputStream().readAllBytes();
        proc.waitFor();
        return raw.length == 0 ? "" : "0x" + java.util.HexFormat.of().formatHex(raw);
    }

    static String xattr(Path p, String name) throws Exception {
        Process proc = new ProcessBuilder("getfattr", "-h", "--only-values", "-n", name, p.toString()).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        proc.waitFor();
        return out;
    }
}
