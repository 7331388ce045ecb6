package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Reads the monitor's {@code exit} file (engine-native/PROTOCOL.md). */
final class ExitFile {
    private ExitFile() {
    }

    static Optional<ExitStatus> read(Path stateDir) {
        String text;
        try {
            text = Files.readString(stateDir.resolve(Monitors.EXIT_FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + stateDir.resolve(Monitors.EXIT_FILE), e);
        }
        int code = 0, signal = 0;
        boolean oom = false;
        long finished = 0;
        for (String line : text.split("\n")) {
            String[] kv = line.split(" ", 2);
            if (kv.length != 2) continue;
            switch (kv[0]) {
                case "code" -> code = Integer.parseInt(kv[1]);
                case "signal" -> signal = Integer.parseInt(kv[1]);
                case "oom" -> oom = kv[1].equals("1");
                case "finished" -> finished = Long.parseLong(kv[1]);
                default -> { }
            }
        }
        return Optional.of(new ExitStatus(code, signal, oom, toInstant(finished)));
    }

    static Instant toInstant(long unixNanos) {
        return Instant.ofEpochSecond(unixNanos / 1_000_000_000L, unixNanos % 1_000_000_000L);
    }
}
