package dev.berth.engine.runtime;

import java.time.Instant;

/**
 * One line (or the unterminated tail of a chunk) from a container's log.
 *
 * @param time   when the monitor read the chunk this line came from
 * @param stream stdout or stderr
 * @param bytes  the bytes of the line including its trailing newline when it had one
 */
public record LogRecord(Instant time, StreamKind stream, byte[] bytes) {
}
