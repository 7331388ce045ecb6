package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NamingAndValidationTest {

    @Test
    void idsAre64HexAndShortenTo12() {
        String id = ContainerId.generate();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(ContainerId.shortId(id)).hasSize(12).isEqualTo(id.substring(0, 12));
        assertThat(ContainerId.generate()).isNotEqualTo(id);
    }

    @Test
    void generatedNamesAreValidAndAvoidTakenOnes() {
        NameGenerator g = new NameGenerator();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String n = g.generate(taken::contains);
            assertThat(n).matches(SpecValidator.NAME.pattern()).contains("_");
            assertThat(taken.add(n)).as("unique: " + n).isTrue();
        }
    }

    @Test
    void badNamesAreRefusedNamingTheField() {
        for (String bad : List.of("a", "-x", "with space", "x/y", "_under", "ünï")) {
            assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox").name(bad).build()))
                    .isInstanceOfSatisfying(SpecValidator.InvalidField.class, e -> assertThat(e.field()).isEqualTo("name"))
                    .hasMessageContaining(bad);
        }
        SpecValidator.validate(ContainerSpec.builder("busybox").name("/web-1.prod_a").build());
    }

    @Test
    void invalidLimitsNameTheField() {
        assertField(new ResourceLimits(-1, 0, 0), "memory");
        assertField(new ResourceLimits(1024, 0, 0), "memory");
        assertField(new ResourceLimits(0, -5, 0), "nanoCpus");
        assertField(new ResourceLimits(0, 1000L * 1_000_000_000L, 0), "nanoCpus");
        assertField(new ResourceLimits(0, 0, 1), "pidsLimit");
        SpecValidator.validate(ContainerSpec.builder("busybox").limits(new ResourceLimits(64 << 20, 500_000_000, 64)).build());
    }

    @Test
    void mountsAndPortsAreChecked() {
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox")
                .mounts(List.of(MountSpec.volume("data", "relative"))).build())).hasMessageContaining("absolute");
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox")
                .mounts(List.of(MountSpec.volume("a1", "/x"), MountSpec.volume("b1", "/x/"))).build())).hasMessageContaining("Two mounts");
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox")
                .mounts(List.of(MountSpec.bind("/definitely/not/here", "/x", false))).build())).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox")
                .portBindings(List.of(new PortBinding(70000, "tcp", "", 0))).build())).hasMessageContaining("70000");
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox")
                .autoRemove(true).restartPolicy(RestartPolicy.parse("always")).build())).hasMessageContaining("autoRemove");
    }

    @Test
    void envIsMergedOverTheImageWithADefaultPath() {
        assertThat(ContainerService.mergeEnv(List.of("A=1", "B=2"), List.of("B=3", "C")))
                .containsExactly("A=1", "B=3", "C", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }

    @Test
    void signalsParseByNameAndNumber() {
        assertThat(Signals.parse("SIGTERM")).isEqualTo(15);
        assertThat(Signals.parse("kill")).isEqualTo(9);
        assertThat(Signals.parse("10")).isEqualTo(10);
        assertThatThrownBy(() -> Signals.parse("SIGNOPE")).hasMessageContaining("SIGNOPE");
    }

    private static void assertField(ResourceLimits limits, String field) {
        assertThatThrownBy(() -> SpecValidator.validate(ContainerSpec.builder("busybox").limits(limits).build()))
                .isInstanceOfSatisfying(SpecValidator.InvalidField.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
