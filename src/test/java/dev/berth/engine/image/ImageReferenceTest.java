package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.berth.engine.EngineException;

class ImageReferenceTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @Test
    void normalisesLikeDocker() {
        assertThat(ImageReference.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("library/busybox:1.36").toString()).isEqualTo("docker.io/library/busybox:1.36");
        assertThat(ImageReference.parse("user/app").toString()).isEqualTo("docker.io/user/app:latest");
        assertThat(ImageReference.parse("index.docker.io/library/busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("docker.io/busybox").repository()).isEqualTo("library/busybox");
        assertThat(ImageReference.parse("busybox").apiHost()).isEqualTo("registry-1.docker.io");
    }

    @Test
    void detectsRegistryHosts() {
        ImageReference r = ImageReference.parse("127.0.0.1:5000/team/app:v1");
        assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(r.repository()).isEqualTo("team/app");
        assertThat(r.tag()).isEqualTo("v1");
        assertThat(ImageReference.parse("localhost/app").registry()).isEqualTo("localhost");
        assertThat(ImageReference.parse("localhost:5000/app").registry()).isEqualTo("localhost:5000");
        assertThat(ImageReference.parse("quay.io/org/app").registry()).isEqualTo("quay.io");
        // without a '.', ':' or localhost, the first component is a path
        assertThat(ImageReference.parse("myhost/app").registry()).isEqualTo("docker.io");
        assertThat(ImageReference.parse("myhost/app").repository()).isEqualTo("myhost/app");
        // a port without a tag
        assertThat(ImageReference.parse("host:5000/app").tag()).isEqualTo("latest");
    }

    @Test
    void tagsAndDigests() {
        ImageReference d = ImageReference.parse("busybox@" + D);
        assertThat(d.tag()).isNull();
        assertThat(d.digest()).isEqualTo(D);
        assertThat(d.manifestReference()).isEqualTo(D);
        assertThat(d.toString()).isEqualTo("docker.io/library/busybox@" + D);
        ImageReference both = ImageReference.parse("busybox:1.36@" + D);
        assertThat(both.tag()).isEqualTo("1.36");
        assertThat(both.manifestReference()).isEqualTo(D);
        assertThat(ImageReference.parse("busybox:Latest_1.0-rc").tag()).isEqualTo("Latest_1.0-rc");
        assertThat(ImageReference.parse("busybox").familiar()).isEqualTo("busybox:latest");
    }

    @Test
    void rejectsInvalidReferences() {
        for (String bad : new String[]{"", "Busybox", "UPPER/app", "app:-tag", "app@sha256:short", "app@md5:" + "a".repeat(32),
                "a//b", "-app", "app:" + "t".repeat(129), "app_:x"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad)).as(bad).isInstanceOf(EngineException.class)
                    .satisfies(e -> assertThat(((EngineException) e).reason()).isEqualTo(EngineException.Reason.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> ImageReference.parse("Busybox")).hasMessageContaining("lowercase").hasMessageContaining("Busybox");
    }
}
