package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** igzip as the gunzip of big layers: the same bytes as java.util.zip, and every way it can fail. */
class ExternalGunzipTest {
    private static final String LAYER = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    @AfterEach
    void clearProperties() {
        System.clearProperty("berth.image.gunzip.min");
        System.clearProperty("berth.image.gunzip.binary");
    }

    private static boolean igzipInstalled() {
        try {
            return new ProcessBuilder("igzip", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Compressible but varied content (text-like lines and random runs), like a root file system. */
    private static byte[] sample(int size, long seed) {
        Random r = new Random(seed);
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            if (r.nextInt(4) == 0) {
                int n = Math.min(size - i, 1 + r.nextInt(2000));
                byte[] rnd = new byte[n];
                r.nextBytes(rnd);
                System.arraycopy(rnd, 0, out, i, n);
                i += n;
            } else {
                byte[] line = ("line " + r.nextInt(1000) + " of some configuration file\n").getBytes();
                int n = Math.min(size - i, line.length);
                System.arraycopy(line, 0, out, i, n);
                i += n;
            }
        }
        return out;
    }

    private static byte[] gzip(byte[]... members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : members) {
            ByteArrayOutputStream one = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(one)) {
                gz.write(m);
            }
            out.write(one.toByteArray());
        }
        return out.toByteArray();
    }

    /** Hands out the bytes in small irregular pieces, as a download does. */
    private static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;
            private final Random r = new Random(7);

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + r.nextInt(40_000)), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void sameBytesAsJavaZipIncludingConcatenatedMembers() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] a = sample(12 << 20, 1);
        byte[] b = sample(3 << 20, 2);
        byte[] compressed = gzip(a, b);
        byte[] viaJava = new GZIPInputStream(new ByteArrayInputStream(compressed)).readAllBytes();
        try (ExternalGunzip external = ExternalGunzip.open(trickle(compressed), LAYER)) {
            assertThat(external).isNotNull();
            byte[] viaIgzip = external.readAllBytes();
            assertThat(viaIgzip.length).isEqualTo(a.length + b.length);
            assertThat(Arrays.equals(viaIgzip, viaJava)).isTrue();
        }
    }

    @Test
    void bigGzipLayersGoToIgzipSmallOnesStayInJava() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] data = sample(1 << 20, 3);
        byte[] compressed = gzip(data);
        ImageRecord.Layer big = new ImageRecord.Layer(LAYER, MediaTypes.DOCKER_LAYER_GZIP, ExternalGunzip.DEFAULT_MIN, LAYER);
        ImageRecord.Layer small = new ImageRecord.Layer(LAYER, MediaTypes.DOCKER_LAYER_GZIP, ExternalGunzip.DEFAULT_MIN - 1, LAYER);
        try (InputStream in = LayerFetcher.decompress(new BufferedInputStream(new ByteArrayInputStream(compressed)), big)) {
            assertThat(in).isInstanceOf(ExternalGunzip.class);
            assertThat(Arrays.equals(in.readAllBytes(), data)).isTrue();
        }
        try (InputStream in = LayerFetcher.decompress(new BufferedInputStream(new ByteArrayInputStream(compressed)), small)) {
            assertThat(in).isInstanceOf(GZIPInputStream.class);
        }
        System.setProperty("berth.image.gunzip.min", "-1");
        try (InputStream in = LayerFetcher.decompress(new BufferedInputStream(new ByteArrayInputStream(compressed)), big)) {
            assertThat(in).isInstanceOf(GZIPInputStream.class);
        }
    }

    @Test
    void missingBinaryFallsBackToJava() throws Exception {
        System.setProperty("berth.image.gunzip.binary", tmp.resolve("no-such-igzip").toString());
        byte[] data = sample(1 << 20, 4);
        byte[] compressed = gzip(data);
        assertThat(ExternalGunzip.open(new ByteArrayInputStream(compressed), LAYER)).isNull();
        ImageRecord.Layer big = new ImageRecord.Layer(LAYER, MediaTypes.DOCKER_LAYER_GZIP, 100L << 20, LAYER);
        try (InputStream in = LayerFetcher.decompress(new BufferedInputStream(new ByteArrayInputStream(compressed)), big)) {
            assertThat(in).isInstanceOf(GZIPInputStream.class);
            assertThat(Arrays.equals(in.readAllBytes(), data)).isTrue();
        }
    }

    @Test
    void corruptStreamIsCorruptContent() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] compressed = gzip(sample(4 << 20, 5));
        for (int i = compressed.length / 2; i < compressed.length / 2 + 64; i++) {
            compressed[i] ^= 0x5a;
        }
        try (ExternalGunzip external = ExternalGunzip.open(trickle(compressed), LAYER)) {
            assertThatThrownBy(external::readAllBytes)
                    .isInstanceOf(LayerFetcher.CorruptContentException.class)
                    .hasMessageContaining("igzip");
        }
    }

    @Test
    void truncatedStreamIsCorruptContent() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] compressed = gzip(sample(4 << 20, 6));
        byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
        try (ExternalGunzip external = ExternalGunzip.open(trickle(truncated), LAYER)) {
            assertThatThrownBy(external::readAllBytes).isInstanceOf(LayerFetcher.CorruptContentException.class);
        }
    }

    @Test
    void aFailingDownloadIsRethrownAsIs() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] compressed = gzip(sample(4 << 20, 8));
        IOException lost = new LayerFetcher.NetworkException(new IOException("connection reset"));
        InputStream failing = new InputStream() {
            private final InputStream first = new ByteArrayInputStream(compressed, 0, compressed.length / 2);

            @Override
            public int read() throws IOException {
                throw lost;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = first.read(b, off, len);
                if (n < 0) {
                    throw lost;
                }
                return n;
            }
        };
        try (ExternalGunzip external = ExternalGunzip.open(failing, LAYER)) {
            assertThatThrownBy(external::readAllBytes).isSameAs(lost);
        }
    }

    @Test
    void igzipKilledMidStreamNamesTheLayer() throws Exception {
        Path fake = tmp.resolve("igzip");
        Files.writeString(fake, "#!/bin/sh\nhead -c 1000 >/dev/null\nkill -9 $$\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        byte[] compressed = gzip(sample(4 << 20, 9));
        try (ExternalGunzip external = ExternalGunzip.open(trickle(compressed), LAYER, fake.toString())) {
            assertThat(external).isNotNull();
            assertThatThrownBy(external::readAllBytes)
                    .isInstanceOf(ExternalGunzip.Failed.class)
                    .hasMessageContaining(LAYER)
                    .hasMessageContaining("status 137");
        }
    }

    @Test
    void closingEarlyStopsTheChildAndTheFeeder() throws Exception {
        assumeTrue(igzipInstalled(), "igzip (Debian package isal) is not installed");
        byte[] compressed = gzip(sample(8 << 20, 10));
        // a source that never ends on its own: close() must not wait for it
        InputStream endless = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(compressed, 0, compressed.length / 2);

            @Override
            public int read() {
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n >= 0) {
                    return n;
                }
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException("interrupted");
                }
                return -1;
            }
        };
        ExternalGunzip external = ExternalGunzip.open(endless, LAYER);
        assertThat(external.read(new byte[4096])).isPositive();
        long start = System.nanoTime();
        external.close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }
}
