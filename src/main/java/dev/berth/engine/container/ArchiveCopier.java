package dev.berth.engine.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import dev.berth.engine.EngineException;

/**
 * Copies files out of and into a container as tar streams, Docker's archive semantics: a path is archived
 * under its base name; an upload is extracted into an existing directory. Every path is resolved inside the
 * container's root ({@link LayeredRoot}) and files are opened without following links, so neither a link in
 * the container nor a hostile tar entry can reach outside it.
 */
public final class ArchiveCopier {
    private ArchiveCopier() {
    }

    /** Writes {@code path} (file, link or directory tree) as a tar stream. The last component is not followed. */
    public static void copyOut(LayeredRoot view, String path, OutputStream out) {
        copyOut(view, path, out, null);
    }

    /** As {@link #copyOut(LayeredRoot, String, OutputStream)}, naming the top entry {@code rootName} when the path is the view's root. */
    public static void copyOut(LayeredRoot view, String path, OutputStream out, String rootName) {
        // Docker: a trailing "/" or "/." asks for what a link points to (inside the container); otherwise the link itself
        boolean follow = path.endsWith("/") || path.endsWith("/.");
        LayeredRoot.Entry entry = view.resolve(path, follow).orElseThrow(() -> notFound(path));
        String base = entry.path().equals("/") ? (rootName == null ? "." : rootName) : Path.of(entry.path()).getFileName().toString();
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            write(view, entry.path(), entry.host(), base, tar);
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Copying '" + path + "' out of the container failed: " + e.getMessage(), e);
        }
    }

    private static void write(LayeredRoot view, String containerPath, Path host, String name, TarArchiveOutputStream tar)
            throws IOException {
        if (Files.isSymbolicLink(host)) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(host).toString());
            attributes(host, e);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            attributes(host, e);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            for (String child : view.list(containerPath)) {
                String childPath = containerPath.equals("/") ? "/" + child : containerPath + "/" + child;
                Optional<LayeredRoot.Entry> c = view.resolve(childPath, false);
                if (c.isPresent()) {
                    write(view, childPath, c.get().host(), name.equals(".") ? child : name + "/" + child, tar);
                }
            }
        } else if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            attributes(host, e);
            try (InputStream in = Files.newInputStream(host, LinkOption.NOFOLLOW_LINKS)) {
                e.setSize(Files.size(host));
                tar.putArchiveEntry(e);
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
        }
        // devices, fifos and sockets are skipped
    }

    private static void attributes(Path host, TarArchiveEntry e) throws IOException {
        int mode = (Integer) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        e.setMode(mode);
        e.setUserId(((Number) Files.getAttribute(host, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue());
        e.setGroupId(((Number) Files.getAttribute(host, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue());
        e.setModTime(Files.getLastModifiedTime(host, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Extracts a tar stream into the existing directory {@code dir} of the container. {@code view} resolves
     * paths (links inside the container are followed inside its root); files are written under
     * {@code writableRoot} (the container's upper dir, or its live root) at the resolved path.
     */
    public static void copyIn(LayeredRoot view, Path writableRoot, String dir, InputStream in) {
        LayeredRoot.Entry target = view.resolve(dir, true).orElseThrow(() -> notFound(dir));
        if (!target.isDirectory()) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "not_a_directory",
                    "'" + dir + "' is not a directory in the container; upload into an existing directory.");
        }
        try {
            TarArchiveInputStream tar = new TarArchiveInputStream(in);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                String rel = safeRelative(e.getName());
                if (rel.isEmpty()) {
                    continue;
                }
                String parentPath = parentOf(target.path(), rel);
                String baseName = Path.of(rel).getFileName().toString();
                LayeredRoot.Entry parent = view.resolve(parentPath, true).orElseThrow(() -> new EngineException(
                        EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                        "The archive entry '" + rel + "' needs the directory '" + parentPath + "', which the archive did not create first."));
                if (!parent.isDirectory()) {
                    throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                            "The archive entry '" + rel + "' is below '" + parent.path() + "', which is not a directory.");
                }
                Path hostParent = hostPath(writableRoot, parent.path());
                ensureDirectories(view, writableRoot, parent.path());
                Path dest = hostParent.resolve(baseName);
                if (e.isDirectory()) {
                    if (Files.isSymbolicLink(dest) || (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)
                            && !Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS))) {
                        Files.delete(dest);
                    }
                    if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectory(dest);
                    }
                } else if (e.isSymbolicLink()) {
                    replaceable(dest);
                    Files.createSymbolicLink(dest, Path.of(e.getLinkName()));
                } else if (e.isFile()) {
                    replaceable(dest);
                    try (OutputStream o = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS)) {
                        tar.transferTo(o);
                    }
                } else {
                    continue; // devices, fifos and hard links are not accepted
                }
                if (!e.isSymbolicLink()) {
                    Files.setPosixFilePermissions(dest, permissions(e.getMode()));
                    Files.setLastModifiedTime(dest, FileTime.from(e.getModTime().toInstant()));
                }
                try {
                    Files.setAttribute(dest, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(dest, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
                } catch (IOException | UnsupportedOperationException ignored) {
                    // ownership is best effort (not root, or a filesystem without owners)
                }
            }
        } catch (IOException ex) {
            throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                    "Copying into '" + dir + "' failed: " + ex.getMessage() + ". Send an uncompressed tar stream.", ex);
        }
    }

    private static void replaceable(Path dest) throws IOException {
        if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
            Trees.deleteRecursively(dest);
        } else {
            Files.deleteIfExists(dest);
        }
    }

    /** Creates in {@code writableRoot} the directories of a canonical path that so far exist only in lower layers. */
    private static void ensureDirectories(LayeredRoot view, Path writableRoot, String canonicalDir) throws IOException {
        Path dir = writableRoot;
        String walked = "";
        for (String part : LayeredRoot.split(canonicalDir)) {
            walked = walked + "/" + part;
            dir = dir.resolve(part);
            if (Files.isSymbolicLink(dir)) {
                throw new IOException("'" + walked + "' changed into a link while copying");
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                Optional<LayeredRoot.Entry> lower = view.resolve(walked, false);
                if (lower.isPresent() && !lower.get().host().equals(dir)) {
                    Files.setPosixFilePermissions(dir, Files.getPosixFilePermissions(lower.get().host(), LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
    }

    private static Path hostPath(Path root, String canonical) {
        Path p = root;
        for (String part : LayeredRoot.split(canonical)) {
            p = p.resolve(part);
        }
        return p;
    }

    private static String parentOf(String base, String rel) {
        Path parent = Path.of(rel).getParent();
        String b = base.equals("/") ? "" : base;
        return parent == null ? (b.isEmpty() ? "/" : b) : b + "/" + parent;
    }

    /** A tar entry name as a relative path with no {@code ..}; refuses names that try to climb out. */
    static String safeRelative(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_archive",
                        "The archive entry '" + name + "' contains '..'; archives must stay inside the target directory.");
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(order[i]);
            }
        }
        return set;
    }

    private static EngineException notFound(String path) {
        return new EngineException(EngineException.Reason.NOT_FOUND, "path_not_found",
                "No such file or directory in the container: '" + path + "'.");
    }

    /** Copies the merged content of {@code dir} in {@code view} into {@code dest} (initialising a volume). */
    public static void copyTree(LayeredRoot view, String dir, Path dest) throws IOException {
        for (String child : view.list(dir)) {
            String childPath = dir.equals("/") ? "/" + child : dir + "/" + child;
            Optional<LayeredRoot.Entry> c = view.resolve(childPath, false);
            if (c.isEmpty()) {
                continue;
            }
            Path host = c.get().host();
            Path to = dest.resolve(child);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(to, Files.readSymbolicLink(host));
            } else if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(to);
                copyTree(view, childPath, to);
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(host, LinkOption.NOFOLLOW_LINKS));
            } else if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(host, to, LinkOption.NOFOLLOW_LINKS, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                continue;
            }
            try {
                Files.setAttribute(to, "unix:uid", Files.getAttribute(host, "unix:uid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(to, "unix:gid", Files.getAttribute(host, "unix:gid", LinkOption.NOFOLLOW_LINKS), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException ignored) {
                // best effort
            }
        }
    }
}
