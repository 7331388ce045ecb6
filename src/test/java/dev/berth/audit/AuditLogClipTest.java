package dev.berth.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Values stored in the audit log are bounded and show control characters as visible escapes. */
class AuditLogClipTest {
    @Test
    void controlCharactersBecomeEscapes() {
        assertThat(AuditLog.clip("a\nb\rc\td\u0000e\u001b[Af\u007f", 100)).isEqualTo("a\\nb\\rc\\td\\x00e\\x1b[Af\\x7f");
        assertThat(AuditLog.clip(null, 10)).isNull();
    }

    @Test
    void longValuesAreCutWithAnEllipsisExactOnesAreNot() {
        assertThat(AuditLog.clip("0123456789", 10)).isEqualTo("0123456789");
        assertThat(AuditLog.clip("0123456789A", 10)).isEqualTo("012345678\u2026").hasSize(10);
        // an escape that crosses the bound does not overflow it
        assertThat(AuditLog.clip("012345678\n", 10)).hasSizeLessThanOrEqualTo(10);
    }
}
