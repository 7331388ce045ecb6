package dev.berth.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import dev.berth.engine.EngineException;

/**
 * Unpacks one layer tar into its own directory (an overlay lower directory), per the OCI image-spec layer rules,
 * without ever touching anything outside that directory.
 *
 * <p>Path safety: every entry name is split into components; {@code ..} is refused, a leading '/' is dropped,
 * and each parent component is checked with NOFOLLOW_LINKS: a parent that is a symbolic link (created by an
 * earlier entry) is refused, so no entry can be written through a link. Existing files are unlinked, never
 * written through. Hard link targets are resolved the same way and must be non-directories already inside this
 * layer. Symbolic links are created as given: they are only followed later, inside the container's root.
 *
 * <p>Whiteouts {@code .wh.NAME} become overlayfs whiteouts (a character device 0/0 named NAME, removing NAME if
 * an earlier entry of this layer created it); {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y} on its
 * directory. Owners, modes (including setuid/setgid/sticky), xattrs, device nodes and mtimes are applied.
 */
public final class LayerApplier {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Path root;
    private final String layerName;
    private final Set<String> verifiedDirs = new HashSet<>();
    private final List<Object[]> dirTimes = new ArrayList<>();
    private final List<Xattr> xattrs = new ArrayList<>();
    private final byte[] buffer = new byte[256 * 1024];
    /**
     * True when the layer directory was empty at the start: then everything in it was created by this applier and
     * {@link #known} holds exactly the paths that exist, so a path not in it needs no lstat to know it is absent.
     * (A wrong belief could only make a creation fail: every creation is exclusive and never follows links.)
     */
    private final boolean fresh;
    private final Set<Path> known = new HashSet<>();
    /** Device nodes, FIFOs and whiteouts not yet created: made in one batch (one process) per layer. */
    private final java.util.LinkedHashMap<Path, Node> nodes = new java.util.LinkedHashMap<>();
    private long files;

    /** A node for mknod; {@code entry} is null for a whiteout (no owner, mode 0). */
    private record Node(char type, int major, int minor, int mode, TarArchiveEntry entry) {
    }

    /** An extended attribute to set on {@code path} (relative to the layer root) once all entries are written. */
    private record Xattr(String path, String name, byte[] value) {
    }

    public LayerApplier(Path root, String layerName) {
        this.root = root;
        this.layerName = layerName;
        this.fresh = isEmptyDirectory(root);
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Applies the whole (uncompressed) tar stream; returns the number of entries applied. */
    public long apply(InputStream tar) throws IOException {
        // binary xattr values survive the tar reader's UTF-8 decoding of PAX headers only hex-encoded
        tar = new BinaryXattrTarStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(tar, 64 * 1024, StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        try {
            while ((e = nextEntry(in)) != null) {
                applyEntry(in, e);
                files++;
            }
        } catch (IOException | RuntimeException failure) {
            try {
                awaitAll();
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw failure;
        }
        // drain the end-of-archive padding so the digest of the whole stream is computed
        while (tar.read(buffer) >= 0) {
            // discard
        }
        finish();
        return files;
    }

    private void applyEntry(TarArchiveInputStream in, TarArchiveEntry e) throws IOException {
        List<String> parts = components(e.getName());
        if (parts.isEmpty()) {
            return; // the layer root itself: keep our own root directory
        }
        String base = parts.get(parts.size() - 1);
        Path parent = parents(parts.subList(0, parts.size() - 1), e.getName());
        String parentRel = String.join("/", parts.subList(0, parts.size() - 1));
        if (base.equals(OPAQUE)) {
            xattrs.add(new Xattr(rel(parentRel), "trusted.overlay.opaque", new byte[]{'y'}));
            return;
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..") || hidden.startsWith(WHITEOUT)) {
                throw unsafe(e.getName(), "it is a malformed whiteout");
            }
            Path target = parent.resolve(hidden);
            if (attrs(target) != null) {
                removeExisting(target, rel(parentRel.isEmpty() ? hidden : parentRel + "/" + hidden));
            }
            queueNode(target, new Node('c', 0, 0, 0, null));
            return;
        }
        Path path = parent.resolve(base);
        String relPath = parentRel.isEmpty() ? base : parentRel + "/" + base;
        if (e.isDirectory()) {
            BasicFileAttributes existing = attrs(path);
            if (existing != null && !existing.isDirectory()) {
                removeExisting(path, relPath);
                existing = null;
            }
            int mode = e.getMode() & 07777;
            if (existing == null) {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(permissions(mode)));
                known.add(path);
            }
            verifiedDirs.add(relPath);
            ownerAndTime(path, e, false);
            if (existing != null || !modeSetAtCreation(mode)) {
                Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
            }
            collectXattrs(path, e);
            dirTimes.add(new Object[]{path, e.getLastModifiedDate().getTime()});
            return;
        }
        if (attrs(path) != null) {
            removeExisting(path, relPath);
        }
        if (e.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(e.getLinkName()));
            known.add(path);
            ownerAndTime(path, e, true);
        } else if (e.isLink()) {
            List<String> targetParts = components(e.getLinkName());
            if (targetParts.isEmpty()) {
                throw unsafe(e.getName(), "its hard link target is the layer root");
            }
            Path targetParent = existingParents(targetParts.subList(0, targetParts.size() - 1), e);
            Path target = targetParent.resolve(targetParts.get(targetParts.size() - 1));
            BasicFileAttributes t = attrs(target);
            if (t == null || t.isDirectory()) {
                throw unsafe(e.getName(), "its hard link target '" + e.getLinkName()
                        + "' is not a file of this layer");
            }
            Files.createLink(path, target);
            known.add(path);
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            // never open a device or FIFO (opening has side effects or blocks): mknod sets the mode, lchown the owner
            queueNode(path, new Node(e.isCharacterDevice() ? 'c' : e.isBlockDevice() ? 'b' : 'p', e.getDevMajor(),
                    e.getDevMinor(), e.getMode() & 07777, e));
        } else if (e.isFile()) {
            int mode = e.getMode() & 07777;
            collectXattrs(path, e);
            known.add(path);
            if (e.getSize() <= SMALL_FILE) {
                // small files are written by the writer pool: file creation latency overlaps with unpacking
                byte[] data = new byte[(int) e.getSize()];
                int off = 0;
                while (off < data.length) {
                    int n = readInto(in, data, off, data.length - off);
                    if (n < 0) {
                        throw new IOException("Layer " + layerName + " ends inside entry " + e.getName());
                    }
                    off += n;
                }
                submit(path, () -> writeFile(path, e, mode, data));
            } else {
                writeFile(path, e, mode, null, in);
            }
        }
        // other entry types (e.g. GNU sparse headers already folded by commons-compress) carry no file
    }

    private static final int SMALL_FILE = 1 << 20;
    private static final int MAX_PENDING = 256;
    private static final java.util.concurrent.ExecutorService WRITERS = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "layer-writer");
                t.setDaemon(true);
                return t;
            });

    /** Files handed to the writer pool and not yet known to be written, by path (in submission order). */
    private final java.util.LinkedHashMap<Path, java.util.concurrent.Future<Void>> pending = new java.util.LinkedHashMap<>();

    private interface IoTask {
        void run() throws IOException;
    }

    private void submit(Path path, IoTask task) throws IOException {
        if (pending.size() >= MAX_PENDING) {
            Path oldest = pending.keySet().iterator().next();
            await(oldest);
        }
        pending.put(path, WRITERS.submit(() -> {
            task.run();
            return null;
        }));
    }

    /** Waits until the pending write of {@code path}, if any, is done (before anything looks at that path). */
    private void await(Path path) throws IOException {
        java.util.concurrent.Future<Void> f = pending.remove(path);
        if (f != null) {
            join(f);
        }
    }

    private void awaitAll() throws IOException {
        IOException first = null;
        for (java.util.concurrent.Future<Void> f : pending.values()) {
            try {
                join(f);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        pending.clear();
        if (first != null) {
            throw first;
        }
    }

    private static void join(java.util.concurrent.Future<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing a layer");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        }
    }

    private void writeFile(Path path, TarArchiveEntry e, int mode, byte[] data) throws IOException {
        writeFile(path, e, mode, data, null);
    }

    private void writeFile(Path path, TarArchiveEntry e, int mode, byte[] data, TarArchiveInputStream in) throws IOException {
        try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(permissions(mode)))) {
            if (data != null) {
                ByteBuffer bb = ByteBuffer.wrap(data);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            } else {
                long remaining = e.getSize();
                while (remaining > 0) {
                    int n = read(in, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        throw new IOException("Layer " + layerName + " ends inside entry " + e.getName());
                    }
                    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    remaining -= n;
                }
            }
        }
        ownerAndTime(path, e, false);
        if (!modeSetAtCreation(mode)) { // chown (above) only clears setuid/setgid, which force this path
            Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        }
        setTime(path, e, false);
    }

    private static int readInto(TarArchiveInputStream in, byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (LayerFetcher.KnownCauseException e) {
            throw e;
        } catch (IOException e) {
            throw new LayerFetcher.CorruptContentException("bad tar data: " + e.getMessage(), e);
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (LayerFetcher.KnownCauseException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw new LayerFetcher.CorruptContentException("bad tar header: " + e.getMessage(), e);
        }
    }

    private int read(TarArchiveInputStream in, int len) throws IOException {
        try {
            return in.read(buffer, 0, len);
        } catch (LayerFetcher.KnownCauseException e) {
            throw e;
        } catch (IOException e) {
            throw new LayerFetcher.CorruptContentException("bad tar data: " + e.getMessage(), e);
        }
    }

    /** Splits an entry name into safe components: no '..', no leading '/', no '.' or empty parts. */
    private List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw unsafe(name, "it contains '..'");
            }
            if (p.indexOf('\0') >= 0) {
                throw unsafe(name, "it contains a NUL byte");
            }
            out.add(p);
        }
        return out;
    }

    /** Resolves (creating when missing) the parent directories, refusing symbolic links and non-directories. */
    private Path parents(List<String> parts, String entryName) throws IOException {
        Path cur = root;
        StringBuilder rel = new StringBuilder();
        for (String p : parts) {
            if (rel.length() > 0) {
                rel.append('/');
            }
            rel.append(p);
            cur = cur.resolve(p);
            String key = rel.toString();
            if (verifiedDirs.contains(key)) {
                continue;
            }
            BasicFileAttributes a = attrs(cur);
            if (a == null) {
                Files.createDirectory(cur);
                known.add(cur);
            } else if (a.isSymbolicLink()) {
                throw unsafe(entryName, "its parent '" + key + "' is a symbolic link");
            } else if (!a.isDirectory()) {
                throw unsafe(entryName, "its parent '" + key + "' is not a directory");
            }
            verifiedDirs.add(key);
        }
        return cur;
    }

    private Path existingParents(List<String> parts, TarArchiveEntry e) throws IOException {
        Path cur = root;
        for (String p : parts) {
            cur = cur.resolve(p);
            BasicFileAttributes a = attrs(cur);
            if (a == null || a.isSymbolicLink() || !a.isDirectory()) {
                throw unsafe(e.getName(), "its hard link target '" + e.getLinkName()
                        + "' is not inside this layer (or passes through a symbolic link)");
            }
        }
        return cur;
    }

    private BasicFileAttributes attrs(Path p) throws IOException {
        if (nodes.containsKey(p)) {
            createNodes(); // a later entry looks at a queued node: make it real first
        }
        if (fresh && !known.contains(p)) {
            return null; // never created in this (initially empty) layer directory
        }
        await(p);
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void removeExisting(Path p, String relPath) throws IOException {
        awaitAll(); // a pending file may live under the tree being removed
        nodes.keySet().removeIf(n -> n.startsWith(p)); // queued nodes in the removed tree are never made
        ContentStore.deleteTree(p);
        known.removeIf(k -> k.startsWith(p));
        verifiedDirs.remove(relPath);
        String prefix = relPath + "/";
        verifiedDirs.removeIf(d -> d.startsWith(prefix));
    }

    private void metadata(Path p, TarArchiveEntry e, boolean symlink) throws IOException {
        ownerAndTime(p, e, symlink);
        if (!symlink) {
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
        }
        collectXattrs(p, e);
    }

    private void collectXattrs(Path p, TarArchiveEntry e) {
        for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String name;
            byte[] value;
            if (key.startsWith(BinaryXattrTarStream.HEX_PREFIX)) {
                name = key.substring(BinaryXattrTarStream.HEX_PREFIX.length());
                value = java.util.HexFormat.of().parseHex(h.getValue());
            } else if (key.startsWith("SCHILY.xattr.")) {
                name = key.substring("SCHILY.xattr.".length());
                value = h.getValue().getBytes(StandardCharsets.UTF_8);
            } else {
                continue;
            }
            if (name.startsWith("trusted.overlay.")) {
                continue; // a layer must not steer overlayfs (redirects, origins); opaque dirs come from .wh..wh..opq
            }
            xattrs.add(new Xattr(rel(root.relativize(p).toString()), name, value));
        }
    }

    /** The process umask, to know when the mode given at creation is already exact. */
    private static final int UMASK = readUmask();

    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // unknown: always chmod
        }
        return 0777;
    }

    private static boolean modeSetAtCreation(int mode) {
        return (mode & 07000) == 0 && (mode & UMASK) == 0;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    private static void ownerAndTime(Path p, TarArchiveEntry e, boolean symlink) throws IOException {
        long uid = e.getLongUserId();
        long gid = e.getLongGroupId();
        if (uid != 0) {
            Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        }
        if (gid != 0) {
            Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
        }
        if (symlink && e.isSymbolicLink()) {
            setTime(p, e, true); // lutimes; never for devices or FIFOs, which the JDK would open
        }
    }

    private static void setTime(Path p, TarArchiveEntry e, boolean symlink) {
        try {
            FileTime t = FileTime.fromMillis(e.getLastModifiedDate().getTime());
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        } catch (IOException | UnsupportedOperationException ignored) {
            // symlink times are best effort
        }
    }

    private static String rel(String relPath) {
        return relPath.isEmpty() ? "." : relPath;
    }

    private void finish() throws IOException {
        createNodes();
        awaitAll();
        if (!xattrs.isEmpty()) {
            setXattrs();
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            FileTime t = FileTime.fromMillis((Long) dirTimes.get(i)[1]);
            Files.getFileAttributeView((Path) dirTimes.get(i)[0], BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).setTimes(t, t, null);
        }
    }

    /** Sets all collected xattrs with one {@code setfattr --restore} run (Java cannot set trusted.* itself). */
    private void setXattrs() throws IOException {
        StringBuilder dump = new StringBuilder();
        for (Xattr x : xattrs) {
            Path p = root.resolve(x.path()).normalize();
            // re-check: the path must still be inside and reachable without links (later entries may have changed it)
            if (!p.startsWith(root) || linkOnPath(p)) {
                continue;
            }
            dump.append("# file: ").append(escape(p.toString())).append('\n')
                    .append(x.name()).append("=0x").append(java.util.HexFormat.of().formatHex(x.value())).append("\n\n");
        }
        if (dump.length() == 0) {
            return;
        }
        Process proc;
        try {
            proc = new ProcessBuilder("setfattr", "--restore=-").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EngineException(EngineException.Reason.INTERNAL, "setfattr_missing",
                    "Cannot set extended attributes (opaque directories, file capabilities) of layer " + layerName
                            + ": setfattr is not installed. Install Debian's 'attr' package.", e);
        }
        try (OutputStream out = proc.getOutputStream()) {
            out.write(dump.toString().getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                throw new IOException("setfattr failed on layer " + layerName + ": " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean linkOnPath(Path p) throws IOException {
        for (Path cur = p; cur != null && !cur.equals(root); cur = cur.getParent()) {
            BasicFileAttributes a = attrs(cur);
            if (a == null || a.isSymbolicLink()) {
                return true;
            }
        }
        return false;
    }

    /** getfattr's dump format escapes control characters and backslash as \ooo. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == '\\' || c == 0x7f) {
                b.append('\\').append(String.format("%03o", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private void queueNode(Path p, Node node) {
        nodes.put(p, node);
        known.add(p);
    }

    /** One shell runs mknod for every node, by arguments (never through a command string). */
    private static final String MKNOD_SCRIPT = "while [ $# -gt 0 ]; do "
            + "if [ \"$3\" = p ]; then mknod -m \"$1\" -- \"$2\" p || exit 1; "
            + "else mknod -m \"$1\" -- \"$2\" \"$3\" \"$4\" \"$5\" || exit 1; fi; shift 5; done";
    private static final int NODES_PER_PROCESS = 500;

    /**
     * Creates the queued device nodes, FIFOs and whiteouts with one process per layer (per 500 nodes): they are
     * queued, instead of spawning mknod per entry, and made before anything looks at their paths and at the end.
     * Then owners and modes of device entries are applied as before.
     */
    private void createNodes() throws IOException {
        if (nodes.isEmpty()) {
            return;
        }
        List<Map.Entry<Path, Node>> all = new ArrayList<>(nodes.entrySet());
        nodes.clear();
        for (int from = 0; from < all.size(); from += NODES_PER_PROCESS) {
            List<Map.Entry<Path, Node>> batch = all.subList(from, Math.min(all.size(), from + NODES_PER_PROCESS));
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", MKNOD_SCRIPT, "mknod-batch"));
            for (Map.Entry<Path, Node> n : batch) {
                Node node = n.getValue();
                cmd.add(Integer.toOctalString(node.mode()));
                cmd.add(n.getKey().toString());
                cmd.add(String.valueOf(node.type()));
                cmd.add(String.valueOf(node.major()));
                cmd.add(String.valueOf(node.minor()));
            }
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (proc.waitFor() != 0) {
                    if (output.contains("File exists")) {
                        throw new FileAlreadyExistsException(output.trim());
                    }
                    throw new IOException("mknod failed in layer " + layerName + ": " + output.trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            for (Map.Entry<Path, Node> n : batch) {
                if (n.getValue().entry() != null) {
                    metadata(n.getKey(), n.getValue().entry(), true);
                }
            }
        }
    }

    private EngineException unsafe(String entry, String why) {
        return new EngineException(EngineException.Reason.INTEGRITY, "unsafe_layer",
                "Layer " + layerName + " contains the entry '" + entry + "' which could write outside the layer: "
                        + why + ". Berth refuses this image; it may be hostile.");
    }
}
