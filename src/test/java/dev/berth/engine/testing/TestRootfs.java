package dev.berth.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a tiny busybox root filesystem for tests (needs Debian's {@code busybox-static}, listed in
 * deploy/packages/test.txt). Layout: /bin/busybox plus one symlink per applet in /bin, /etc/passwd with root,
 * nobody and {@code app} (1000:1000), /etc/group with a {@code staff} group (50) that {@code app} belongs to,
 * and empty /proc /sys /dev /tmp /root /home/app.
 *
 * <p>Use {@link #layers(Path)} for an overlay lower/upper/work triple ready for a container.
 */
public final class TestRootfs {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private TestRootfs() {
    }

    /** The three directories an overlay root needs. {@code lower} holds the busybox rootfs. */
    public record Layers(Path lower, Path upper, Path work) {
        public List<Path> lowerDirs() {
            return List.of(lower);
        }
    }

    /** Creates {@code dir/lower} (busybox rootfs), {@code dir/upper} and {@code dir/work}. */
    public static Layers layers(Path dir) {
        try {
            Path lower = busybox(dir.resolve("lower"));
            Path upper = Files.createDirectories(dir.resolve("upper"));
            Path work = Files.createDirectories(dir.resolve("work"));
            return new Layers(lower, upper, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lays out a busybox rootfs in {@code dir} (created if missing) and returns it. */
    public static Path busybox(Path dir) {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("tests need " + BUSYBOX + ": apt-get install -y busybox-static");
        }
        try {
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
            for (String applet : applets()) {
                Path link = bin.resolve(applet);
                if (!applet.equals("busybox") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, Path.of("busybox"));
                }
            }
            Files.createDirectories(dir.resolve("usr/bin"));
            Files.createDirectories(dir.resolve("sbin"));
            for (String d : List.of("proc", "sys", "dev", "root", "home/app", "etc", "var", "run")) {
                Files.createDirectories(dir.resolve(d));
            }
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            write(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                    + "app:x:1000:1000:app:/home/app:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
            write(dir.resolve("etc/group"), "root:x:0:\nstaff:x:50:app\napp:x:1000:\nnogroup:x:65534:\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a file with {@code content} and mode 0755 at {@code relative} inside {@code rootfs}. */
    public static Path script(Path rootfs, String relative, String content) {
        try {
            Path p = rootfs.resolve(relative);
            Files.createDirectories(p.getParent());
            write(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String content) throws IOException {
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    private static List<String> applets() throws IOException {
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("busybox --list failed: " + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }
}
