package dev.berth.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    @Test
    void acceptsALongEnoughPassword() {
        assertThat(PasswordPolicy.problem("correct horse battery", "alice")).isNull();
    }

    @Test
    void namesWhatIsWrong() {
        assertThat(PasswordPolicy.problem("", "alice")).contains("required");
        assertThat(PasswordPolicy.problem("short", "alice")).contains("at least 10");
        assertThat(PasswordPolicy.problem("alice-the-great", "alice-the-great")).contains("username");
        assertThat(PasswordPolicy.problem("é".repeat(40), "alice")).contains("72 bytes");
    }
}
