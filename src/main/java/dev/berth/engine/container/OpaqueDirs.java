package dev.berth.engine.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The directories of a layer marked opaque with the {@code trusted.overlay.opaque=y} xattr (how the image store
 * records OCI {@code .wh..wh..opq}). Java cannot read {@code trusted.*} xattrs, so this asks {@code getfattr}
 * (Debian package {@code attr}) once for the whole layer, without following links.
 */
final class OpaqueDirs {
    private static final Logger LOG = Logger.getLogger(OpaqueDirs.class.getName());
    private static final Path GETFATTR = Path.of("/usr/bin/getfattr");
    private static volatile boolean warned;

    private OpaqueDirs() {
    }

    static Set<Path> of(Path layer) {
        Set<Path> result = new HashSet<>();
        if (!Files.isExecutable(GETFATTR)) {
            if (!warned) {
                warned = true;
                LOG.warning("getfattr is missing (install the Debian package attr): opaque directories of image layers "
                        + "are not seen when reading files of stopped containers or initialising volumes");
            }
            return result;
        }
        try {
            Process names = new ProcessBuilder(GETFATTR.toString(), "-R", "-P", "--absolute-names", "-n", "trusted.overlay.opaque",
                    "--", layer.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            names.getOutputStream().close();
            String out = new String(names.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            names.waitFor(60, TimeUnit.SECONDS);
            String file = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("# file: ")) {
                    file = unescape(line.substring(8));
                } else if (file != null && line.startsWith("trusted.overlay.opaque=") && line.contains("\"y\"")) {
                    result.add(Path.of(file));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not read opaque directories of " + layer + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /** getfattr escapes unusual bytes as backslash and three octal digits. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && isOctal(b, i + 1)) {
                out.write(Integer.parseInt(new String(b, i + 1, 3, StandardCharsets.US_ASCII), 8));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] b, int from) {
        if (from + 3 > b.length) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (b[i] < '0' || b[i] > '7') {
                return false;
            }
        }
        return true;
    }
}
