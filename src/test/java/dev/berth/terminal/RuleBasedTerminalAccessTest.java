package dev.berth.terminal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBasedTerminalAccessTest {
    private final TerminalRegistry registry = new TerminalRegistry(new TerminalSettings(65536, 65536, 65536, 100));

    /** A source that never produces output: enough to give the registry an open terminal. */
    private static final class SilentSource implements TerminalSource {
        public void start(Output output) { }
        public void write(byte[] bytes) { }
        public void resize(int cols, int rows) { }
        public void close() { }
        public void pauseOutput() { }
        public void resumeOutput() { }
    }

    @AfterEach
    void close() {
        registry.closeAll("test over");
    }

    @Test
    void theStrongestRoleOfAnyRuleWins() throws Exception {
        registry.open("t1", "alice", new SilentSource(), 80, 24);
        TerminalAccessRule bobDrives = (p, r, hub) -> p.equals("bob") ? Optional.of(TerminalRole.DRIVER) : Optional.empty();
        TerminalAccessRule everyoneViews = (p, r, hub) -> Optional.of(TerminalRole.VIEWER);
        var access = new RuleBasedTerminalAccess(registry, List.of(everyoneViews, bobDrives, new OwnerAccessRule()));

        assertThat(access.roleFor("alice", Set.of("user"), "t1")).contains(TerminalRole.OWNER);
        assertThat(access.roleFor("bob", Set.of("user"), "t1")).contains(TerminalRole.DRIVER);
        assertThat(access.roleFor("carol", Set.of("user"), "t1")).contains(TerminalRole.VIEWER);
        assertThat(access.roleFor("root", Set.of("admin"), "t1")).contains(TerminalRole.OWNER);
    }

    @Test
    void noRuleNoAccessAndUnknownTerminalsAndAnonymousGetNothing() throws Exception {
        registry.open("t2", "alice", new SilentSource(), 80, 24);
        var access = new RuleBasedTerminalAccess(registry, List.of(new OwnerAccessRule()));

        assertThat(access.roleFor("carol", Set.of("user"), "t2")).isEmpty();
        assertThat(access.roleFor("alice", Set.of("user"), "nope")).isEmpty();
        assertThat(access.roleFor("", Set.of("admin"), "t2")).isEmpty();
    }
}
