package dev.berth.engine.container;

import java.util.Map;

import dev.berth.engine.EngineException;

/** Signal names and numbers (Linux x86-64), accepting {@code SIGTERM}, {@code TERM} or {@code 15}. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
            Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
            Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
            Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {
    }

    public static int parse(String text) {
        if (text == null || text.isBlank()) {
            return SIGKILL;
        }
        String t = text.trim().toUpperCase();
        try {
            int n = Integer.parseInt(t);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            Integer n = NUMBERS.get(t.startsWith("SIG") ? t.substring(3) : t);
            if (n != null) {
                return n;
            }
        }
        throw new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_signal",
                "'" + text + "' is not a signal; use a name such as SIGTERM or a number from 1 to 64.");
    }
}
