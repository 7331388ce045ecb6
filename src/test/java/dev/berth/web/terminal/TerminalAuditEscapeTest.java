package dev.berth.web.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Terminal input is shown as readable text in the audit log. */
class TerminalAuditEscapeTest {
    @Test
    void keysAreReadable() {
        assertThat(TerminalAudit.escape("ls -l\r".getBytes(StandardCharsets.UTF_8))).isEqualTo("ls -l\\r");
        assertThat(TerminalAudit.escape("\u001b[A\u0003".getBytes(StandardCharsets.UTF_8))).isEqualTo("\\e[A\\x03");
        assertThat(TerminalAudit.escape("a\\b".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\\\\b");
        assertThat(TerminalAudit.escape("grüß\t".getBytes(StandardCharsets.UTF_8))).isEqualTo("grüß\\t");
    }
}
