package dev.berth.engine.runtime;

import java.time.Instant;

/**
 * Which log lines to read, like {@code docker logs}.
 *
 * @param tail   only the last {@code tail} lines (negative: all)
 * @param since  only lines at or after this time (null: from the start)
 * @param until  only lines before this time (null: no bound)
 * @param stdout include stdout
 * @param stderr include stderr
 */
public record LogQuery(int tail, Instant since, Instant until, boolean stdout, boolean stderr) {
    public static final LogQuery ALL = new LogQuery(-1, null, null, true, true);

    public static LogQuery tail(int n) {
        return new LogQuery(n, null, null, true, true);
    }
}
