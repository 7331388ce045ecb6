package dev.berth.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Creates an unprivileged system account for helper processes that must not run as root. */
final class SystemUser {
    private SystemUser() {
    }

    static void ensure(String name) throws IOException {
        if (exec(List.of("id", "-u", name)) == 0) {
            return;
        }
        List<String> create = List.of("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name);
        if (exec(create) != 0 && exec(List.of("id", "-u", name)) != 0) {
            throw new IOException("Could not create the system user '" + name + "' that runs the embedded PostgreSQL;"
                    + " create it with: " + String.join(" ", create));
        }
    }

    private static int exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running " + command.get(0), e);
        }
    }
}
