package dev.berth.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Asciicast recordings on disk: {@code <root>/<terminal id>/<UTC time>.cast}. */
public final class RecordingStore {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A stored recording. */
    public record Recording(String terminalId, String name, long bytes, Instant modified, boolean active) {
    }

    private final Path root;
    private final Clock clock;

    public RecordingStore(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public Path root() {
        return root;
    }

    /** Starts recording {@code hub} into a new file; returns its name. */
    public String start(TerminalHub hub) throws IOException {
        String name = NAME.format(clock.instant()) + ".cast";
        Path file = dir(hub.id()).resolve(name);
        hub.startRecording(new AsciicastRecorder(file, "Berth terminal " + hub.id(), clock));
        return name;
    }

    public List<Recording> list(String terminalId, Optional<TerminalHub> hub) throws IOException {
        Path dir = dir(terminalId);
        if (!Files.isDirectory(dir)) return List.of();
        Optional<Path> active = hub.flatMap(TerminalHub::recorder).map(AsciicastRecorder::file);
        List<Recording> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cast")).toList()) {
                out.add(new Recording(terminalId, f.getFileName().toString(), Files.size(f),
                        Files.getLastModifiedTime(f).toInstant(), active.map(f::equals).orElse(false)));
            }
        }
        out.sort(Comparator.comparing(Recording::name));
        return out;
    }

    /** The file of a recording, if it exists; names are checked so that nothing outside the store is reachable. */
    public Optional<Path> file(String terminalId, String name) {
        if (!SAFE.matcher(name).matches() || !name.endsWith(".cast") || name.contains("..")) return Optional.empty();
        Path f = dir(terminalId).resolve(name);
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    private Path dir(String terminalId) {
        if (!SAFE.matcher(terminalId).matches() || terminalId.contains("..")) {
            throw new IllegalArgumentException("terminal id '" + terminalId + "' is not valid: use letters, digits, '_', '.', '-'");
        }
        return root.resolve(terminalId);
    }
}
