package dev.berth.engine.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import com.github.luben.zstd.ZstdOutputStream;

/** Builds layer tars (including hostile ones) for tests. */
public final class Tars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
    private long mtime = 1_600_000_000_000L;

    public Tars() {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public static Tars tar() {
        return new Tars();
    }

    private Tars put(TarArchiveEntry e, byte[] data) {
        try {
            e.setModTime(mtime);
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    public Tars file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public Tars file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        return put(e, content);
    }

    public Tars fileOwned(String name, String content, int mode, int uid, int gid, Map<String, String> xattrs) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
        return put(e, data);
    }

    public Tars hostFile(String name, Path file, int mode) {
        try {
            return file(name, Files.readAllBytes(file), mode);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    public Tars dir(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(0755);
        return put(e, null);
    }

    public Tars symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0777);
        return put(e, null);
    }

    public Tars hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0644);
        return put(e, null);
    }

    public Tars charDevice(String name, int major, int minor) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(0666);
        return put(e, null);
    }

    public Tars fifo(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        e.setMode(0600);
        return put(e, null);
    }

    public Tars whiteout(String dir, String name) {
        return file((dir.isEmpty() ? "" : dir + "/") + ".wh." + name, new byte[0], 0644);
    }

    public Tars opaque(String dir) {
        return file(dir + "/.wh..wh..opq", new byte[0], 0644);
    }

    public byte[] bytes() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    public static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(out)) {
                g.write(data);
            }
            return out.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    public static byte[] zstd(byte[] data) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZstdOutputStream z = new ZstdOutputStream(out)) {
                z.write(data);
            }
            return out.toByteArray();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
