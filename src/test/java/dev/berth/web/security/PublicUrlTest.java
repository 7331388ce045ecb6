package dev.berth.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PublicUrlTest {
    @Test
    void originMustMatchSchemeHostAndPort() {
        PublicUrl u = PublicUrl.parse("https://Tools.Example.com/berth/").orElseThrow();
        assertThat(u.path()).isEqualTo("/berth");
        assertThat(u.origin()).isEqualTo("https://tools.example.com");
        assertThat(u.webSocketOrigin()).isEqualTo("wss://tools.example.com");
        assertThat(u.matchesOrigin("https://tools.example.com")).isTrue();
        assertThat(u.matchesOrigin("https://TOOLS.example.com:443")).isTrue();
        assertThat(u.matchesOrigin("http://tools.example.com")).isFalse();
        assertThat(u.matchesOrigin("https://tools.example.com:8443")).isFalse();
        assertThat(u.matchesOrigin("https://evil.example.com")).isFalse();
        assertThat(u.matchesOrigin("https://tools.example.com.evil.example")).isFalse();
        assertThat(u.matchesOrigin("null")).isFalse();
        PublicUrl local = PublicUrl.parse("http://127.0.0.1:8080").orElseThrow();
        assertThat(local.matchesOrigin("http://127.0.0.1:8080")).isTrue();
        assertThat(local.matchesOrigin("http://127.0.0.1")).isFalse();
        assertThat(local.webSocketOrigin()).isEqualTo("ws://127.0.0.1:8080");
    }

    @Test
    void blankIsUnsetAndNonHttpIsAClearError() {
        assertThat(PublicUrl.parse(" ")).isEmpty();
        assertThatThrownBy(() -> PublicUrl.parse("berth.example.com")).hasMessageContaining("berth.public-url");
        assertThatThrownBy(() -> PublicUrl.parse("ftp://berth.example.com")).hasMessageContaining("berth.public-url");
    }
}
