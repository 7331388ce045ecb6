package dev.berth.quota;

/** A quota refuses a request: {@code limit} names the quota field, the message says its value and what to do. */
public final class QuotaExceeded extends RuntimeException {
    private final String limit;

    public QuotaExceeded(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
