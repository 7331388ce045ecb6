package dev.berth.engine;

/**
 * An engine operation failed for a reason a caller can act on. The message says what failed, on what, and
 * what to do; {@link #reason()} lets adapters (REST, the future Docker API) choose a status code, and
 * {@link #code()} is a stable machine-readable name such as {@code image_not_found}.
 */
public class EngineException extends RuntimeException {

    /** Why an operation failed, in terms an adapter can map to a protocol status. */
    public enum Reason {
        /** The named thing (image, container, network, ...) does not exist. 404. */
        NOT_FOUND,
        /** The request clashes with current state (name in use, port taken, image in use). 409. */
        CONFLICT,
        /** The request itself is malformed or out of range. 400. */
        INVALID_ARGUMENT,
        /** A remote party (registry) refused the credentials. 401 upstream; adapters answer 502 or 401. */
        UNAUTHORIZED,
        /** A remote party could not be reached or answered badly. 502. */
        UNAVAILABLE,
        /** Content is not in a format Berth supports (media type, compression). 415. */
        UNSUPPORTED,
        /** Not enough disk space or another local resource ran out. 507. */
        INSUFFICIENT_STORAGE,
        /** Verification failed (digest mismatch). 502. */
        INTEGRITY,
        /** Anything else: a bug or an unexpected system error. 500. */
        INTERNAL
    }

    private final Reason reason;
    private final String code;

    public EngineException(Reason reason, String code, String message) {
        super(message);
        this.reason = reason;
        this.code = code;
    }

    public EngineException(Reason reason, String code, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.code = code;
    }

    public Reason reason() {
        return reason;
    }

    public String code() {
        return code;
    }
}
