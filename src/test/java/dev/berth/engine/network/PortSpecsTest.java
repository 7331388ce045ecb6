package dev.berth.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.berth.engine.EngineException;

class PortSpecsTest {

    private static PortBinding b(String ip, int host, int container, Protocol p) {
        return new PortBinding(ip, host, container, p);
    }

    @Test
    void parsesDockersForms() {
        assertThat(PortSpecs.parse("80", "0.0.0.0")).containsExactly(b("0.0.0.0", 0, 80, Protocol.TCP));
        assertThat(PortSpecs.parse("8080:80", "127.0.0.1")).containsExactly(b("127.0.0.1", 8080, 80, Protocol.TCP));
        assertThat(PortSpecs.parse("8080:80/udp", "0.0.0.0")).containsExactly(b("0.0.0.0", 8080, 80, Protocol.UDP));
        assertThat(PortSpecs.parse("127.0.0.2:8080:80/tcp", "0.0.0.0")).containsExactly(b("127.0.0.2", 8080, 80, Protocol.TCP));
        assertThat(PortSpecs.parse("127.0.0.1::53/udp", "0.0.0.0")).containsExactly(b("127.0.0.1", 0, 53, Protocol.UDP));
        assertThat(PortSpecs.parse("8000-8001:80-81", "0.0.0.0"))
                .containsExactly(b("0.0.0.0", 8000, 80, Protocol.TCP), b("0.0.0.0", 8001, 81, Protocol.TCP));
        assertThat(PortSpecs.parse("8000-8010:80", "0.0.0.0")).containsExactly(b("0.0.0.0", 8000, 80, Protocol.TCP));
        assertThat(PortSpecs.publishAll(List.of("80/tcp", "53/udp"), "127.0.0.1"))
                .containsExactly(b("127.0.0.1", 0, 80, Protocol.TCP), b("127.0.0.1", 0, 53, Protocol.UDP));
    }

    @Test
    void rejectsMalformedSpecsNamingThem() {
        for (String bad : List.of("", "http", "80:http", "0", "70000", "8080:80/sctp", "1.2.3:80:80", "8000-8002:80-81", "90-80:80",
                "[::1]:80:80")) {
            assertThatThrownBy(() -> PortSpecs.parse(bad, "0.0.0.0")).as(bad).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.reason()).isEqualTo(EngineException.Reason.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> PortSpecs.parse("8080:80/sctp", "0.0.0.0")).hasMessageContaining("'8080:80/sctp'")
                .hasMessageContaining("sctp");
    }

    @Test
    void wildcardAddressClashesWithEverySpecificOne() {
        assertThat(b("0.0.0.0", 80, 80, Protocol.TCP).clashesWith(b("127.0.0.1", 80, 81, Protocol.TCP))).isTrue();
        assertThat(b("127.0.0.2", 80, 80, Protocol.TCP).clashesWith(b("127.0.0.1", 80, 81, Protocol.TCP))).isFalse();
        assertThat(b("0.0.0.0", 80, 80, Protocol.TCP).clashesWith(b("0.0.0.0", 80, 80, Protocol.UDP))).isFalse();
    }
}
