package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.berth.engine.EngineException;

class RestartPolicyTest {

    @Test
    void parsesDockerPolicies() {
        assertThat(RestartPolicy.parse("on-failure:3")).isEqualTo(new RestartPolicy("on-failure", 3));
        assertThat(RestartPolicy.parse("always").text()).isEqualTo("always");
        assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).isInstanceOf(EngineException.class)
                .hasMessageContaining("sometimes");
        assertThatThrownBy(() -> RestartPolicy.parse("always:2")).hasMessageContaining("on-failure");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).hasMessageContaining("not a number");
    }

    @Test
    void onFailureStopsAfterItsRetries() {
        RestartPolicy p = RestartPolicy.parse("on-failure:2");
        assertThat(p.shouldRestart(1, 0, false)).isTrue();
        assertThat(p.shouldRestart(1, 1, false)).isTrue();
        assertThat(p.shouldRestart(1, 2, false)).isFalse();
        assertThat(p.shouldRestart(0, 0, false)).as("a clean exit is not a failure").isFalse();
        assertThat(RestartPolicy.parse("on-failure").shouldRestart(1, 1000, false)).as("0 = unlimited").isTrue();
    }

    @Test
    void userStopsWin() {
        assertThat(RestartPolicy.parse("always").shouldRestart(0, 5, false)).isTrue();
        assertThat(RestartPolicy.parse("always").shouldRestart(0, 0, true)).isFalse();
        assertThat(RestartPolicy.parse("unless-stopped").shouldRestart(137, 0, true)).isFalse();
        assertThat(RestartPolicy.NO.shouldRestart(1, 0, false)).isFalse();
        assertThat(RestartPolicy.parse("always").restartsWithEngine(true)).isTrue();
        assertThat(RestartPolicy.parse("unless-stopped").restartsWithEngine(true)).isFalse();
        assertThat(RestartPolicy.parse("unless-stopped").restartsWithEngine(false)).isTrue();
    }

    @Test
    void backOffDoublesFrom100msAndResetsAfterTenSecondsUp() {
        Duration d = RestartBackoff.next(null, Duration.ZERO);
        assertThat(d).isEqualTo(Duration.ofMillis(100));
        d = RestartBackoff.next(d, Duration.ofMillis(50));
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        d = RestartBackoff.next(d, Duration.ofMillis(50));
        assertThat(d).isEqualTo(Duration.ofMillis(400));
        assertThat(RestartBackoff.next(d, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        Duration big = Duration.ofSeconds(50);
        assertThat(RestartBackoff.next(big, Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
    }
}
