package dev.berth.web.terminal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.berth.audit.AuditLog;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;

/**
 * What happens on shared terminals, in the audit log: who joined and left (with their role and address),
 * control taken, handed over and taken back, and the input each person typed.
 *
 * <p>Input is recorded per connection in lines: one {@code terminal.input} entry when Enter is pressed, when
 * {@value #MAX_LINE_BYTES} bytes have gathered, after {@value #IDLE_FLUSH_MS} ms without a key, and when the
 * person leaves. Bytes are shown as text with control characters escaped ({@code \r}, {@code \x1b}, ...).
 * Input typed while the screen's last line looks like a password prompt ({@code Password:}, {@code [sudo]
 * password for ...:}, {@code passphrase}) is not recorded: the entry says how many bytes were hidden. Answers
 * of the terminal to the program's queries (cursor reports, colours) are not input and are not recorded.
 */
@ApplicationScoped
public class TerminalAudit {
    static final int MAX_LINE_BYTES = 512;
    static final long IDLE_FLUSH_MS = 1000;
    private static final Pattern PASSWORD_PROMPT = Pattern.compile(
            "(?i).*(password|passphrase|passwort|mot de passe|pin)[^\\n]*[:>]\\s*$");

    @Inject
    AuditLog audit;

    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "berth-terminal-audit");
        t.setDaemon(true);
        return t;
    });

    TerminalAudit() {
        flusher.scheduleWithFixedDelay(this::flushIdle, IDLE_FLUSH_MS, IDLE_FLUSH_MS / 2, TimeUnit.MILLISECONDS);
    }

    /** The input gathered on one connection, not yet recorded. */
    private static final class Line {
        final String user;
        final String terminal;
        final String address;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean hidden;
        long lastNanos;

        Line(String user, String terminal, String address) {
            this.user = user;
            this.terminal = terminal;
            this.address = address;
        }
    }

    public void joined(TerminalClient c, String address) {
        audit.record(c.user(), "terminal.join", c.hub().id(), "as " + c.role().wire() + ", connection " + c.id(), address);
    }

    public void left(TerminalClient c, String address) {
        flush(c.id());
        audit.record(c.user(), "terminal.leave", c.hub().id(), "connection " + c.id(), address);
    }

    public void controlChanged(TerminalClient by, String before, String after, String address) {
        if (after == null || after.equals(before)) {
            return;
        }
        String action;
        String detail;
        if (after.equals(by.user())) {
            boolean owner = by.role() == dev.berth.terminal.TerminalRole.OWNER;
            action = owner && before != null ? "terminal.control-back" : "terminal.control-taken";
            detail = before == null ? "control was free" : "from " + before;
        } else {
            action = "terminal.control-granted";
            detail = "to " + after + (before == null ? "" : ", from " + before);
        }
        audit.record(by.user(), action, by.hub().id(), detail, address);
    }

    /**
     * Whether input from {@code c} that arrives now is typed at a password prompt. Ask before the input goes to
     * the terminal: once it has, the echo may already have changed the screen's last line. In the middle of a
     * line, the answer that line got when it started (so a line the idle flush records between this call and
     * {@link #typed} still carries on hidden).
     */
    public boolean startsSecretLine(TerminalClient c) {
        Line line = lines.get(c.id());
        if (line != null) {
            synchronized (line) {
                if (line.bytes.size() > 0) {
                    return line.hidden;
                }
            }
        }
        return atPasswordPrompt(c.hub());
    }

    /**
     * Input accepted by the hub from {@code c}: gathered and recorded line by line. {@code secret} is what
     * {@link #startsSecretLine} said just before the input went to the terminal; it applies when this input
     * starts a new line.
     */
    public void typed(TerminalClient c, byte[] data, String address, boolean secret) {
        if (data.length == 0) {
            return;
        }
        TerminalHub hub = c.hub();
        Line line = lines.computeIfAbsent(c.id(), k -> new Line(c.user(), hub.id(), address));
        synchronized (line) {
            if (line.bytes.size() == 0) {
                line.hidden = secret;
            }
            int from = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '\r' || data[i] == '\n') {
                    line.bytes.write(data, from, i + 1 - from);
                    from = i + 1;
                    recordLocked(line);
                    if (from < data.length) {
                        line.hidden = atPasswordPrompt(hub);
                    }
                } else if (line.bytes.size() + (i + 1 - from) >= MAX_LINE_BYTES) {
                    line.bytes.write(data, from, i + 1 - from);
                    from = i + 1;
                    recordLocked(line);
                }
            }
            if (from < data.length) {
                line.bytes.write(data, from, data.length - from);
            }
            line.lastNanos = System.nanoTime();
        }
    }

    private static boolean atPasswordPrompt(TerminalHub hub) {
        String screen = hub.screenText();
        String last = "";
        for (String l : screen.split("\n")) {
            if (!l.isBlank()) {
                last = l;
            }
        }
        return PASSWORD_PROMPT.matcher(last.stripTrailing() + " ").matches()
                || PASSWORD_PROMPT.matcher(last.stripTrailing()).matches();
    }

    private void flush(String connection) {
        Line line = lines.remove(connection);
        if (line != null) {
            synchronized (line) {
                recordLocked(line);
            }
        }
    }

    private void flushIdle() {
        long now = System.nanoTime();
        lines.forEach((id, line) -> {
            synchronized (line) {
                if (line.bytes.size() > 0 && now - line.lastNanos >= TimeUnit.MILLISECONDS.toNanos(IDLE_FLUSH_MS)) {
                    recordLocked(line);
                }
            }
        });
    }

    private void recordLocked(Line line) {
        if (line.bytes.size() == 0) {
            return;
        }
        byte[] b = line.bytes.toByteArray();
        line.bytes.reset();
        String detail = line.hidden
                ? "(" + b.length + " bytes typed at a password prompt, not recorded)"
                : escape(b);
        audit.record(line.user, "terminal.input", line.terminal, detail, line.address);
    }

    /** Input as readable text: UTF-8, control characters and backslashes escaped. */
    static String escape(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case 0x1b -> out.append("\\e");
                default -> {
                    if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) {
                        out.append(String.format("\\x%02x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }

    @PreDestroy
    void stop() {
        lines.keySet().forEach(this::flush);
        flusher.shutdownNow();
    }
}
