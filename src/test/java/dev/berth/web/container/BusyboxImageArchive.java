package dev.berth.web.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.engine.image.RegistrySettings;

/** A {@code docker save} archive of a one-layer image made from a directory (a busybox rootfs in these tests). */
public final class BusyboxImageArchive {
    private BusyboxImageArchive() {
    }

    public static byte[] of(Path rootfs, String tag, List<String> cmd, List<String> volumes) {
        return of(rootfs, tag, cmd, volumes, List.of());
    }

    /** The same with {@code ExposedPorts} in the config ({@code "8080/tcp"}, ...). */
    public static byte[] of(Path rootfs, String tag, List<String> cmd, List<String> volumes, List<String> exposedPorts) {
        try {
            byte[] layer = layerTar(rootfs);
            String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
            ObjectMapper json = new ObjectMapper();
            ObjectNode config = json.createObjectNode();
            config.put("architecture", RegistrySettings.hostArchitecture());
            config.put("os", "linux");
            config.put("created", "2026-11-22T00:00:00Z");
            ObjectNode c = config.putObject("config");
            c.putArray("Env").add("PATH=/bin:/usr/bin").add("FROM_IMAGE=yes");
            cmd.forEach(c.withArray("Cmd")::add);
            if (cmd.isEmpty()) {
                c.remove("Cmd");
            }
            if (!exposedPorts.isEmpty()) {
                ObjectNode exposed = c.putObject("ExposedPorts");
                exposedPorts.forEach(exposed::putObject);
            }
            ObjectNode vols = c.putObject("Volumes");
            volumes.forEach(vols::putObject);
            ObjectNode rootfsNode = config.putObject("rootfs");
            rootfsNode.put("type", "layers");
            rootfsNode.putArray("diff_ids").add(diffId);
            byte[] configBytes = json.writeValueAsBytes(config);
            String configName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(configBytes)) + ".json";
            ObjectNode m = json.createObjectNode();
            m.put("Config", configName);
            m.putArray("RepoTags").add(tag);
            m.putArray("Layers").add("layer/layer.tar");
            byte[] manifest = json.writeValueAsBytes(json.createArrayNode().add(m));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                put(tar, "manifest.json", manifest);
                put(tar, configName, configBytes);
                put(tar, "layer/layer.tar", layer);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static byte[] layerTar(Path root) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        TarArchiveEntry e = new TarArchiveEntry(root.relativize(dir) + "/");
                        e.setMode(mode(dir));
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = root.relativize(file).toString();
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(Files.readSymbolicLink(file).toString());
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    } else if (attrs.isRegularFile()) {
                        byte[] data = Files.readAllBytes(file);
                        TarArchiveEntry e = new TarArchiveEntry(name);
                        e.setSize(data.length);
                        e.setMode(mode(file));
                        tar.putArchiveEntry(e);
                        tar.write(data);
                        tar.closeArchiveEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return bytes.toByteArray();
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
