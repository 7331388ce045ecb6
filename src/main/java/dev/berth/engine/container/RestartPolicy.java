package dev.berth.engine.container;

import dev.berth.engine.EngineException;

/**
 * Docker's restart policies: {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure[:N]}
 * ({@code maximumRetryCount} 0 means unlimited).
 */
public record RestartPolicy(String name, int maximumRetryCount) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public RestartPolicy {
        name = name == null || name.isBlank() ? "no" : name;
    }

    /** Parses {@code no}, {@code always}, {@code unless-stopped}, {@code on-failure} or {@code on-failure:N}. */
    public static RestartPolicy parse(String text) {
        if (text == null || text.isBlank()) {
            return NO;
        }
        String t = text.trim();
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        int count = 0;
        if (colon >= 0) {
            try {
                count = Integer.parseInt(t.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw invalid("The restart policy '" + text + "' has a retry count that is not a number; write e.g. on-failure:3.");
            }
        }
        RestartPolicy policy = new RestartPolicy(name, count);
        policy.validate();
        return policy;
    }

    public void validate() {
        switch (name) {
            case "no", "always", "unless-stopped" -> {
                if (maximumRetryCount != 0) {
                    throw invalid("A maximum retry count is only allowed with the on-failure restart policy, not with '" + name + "'.");
                }
            }
            case "on-failure" -> {
                if (maximumRetryCount < 0) {
                    throw invalid("The maximum retry count of on-failure must be 0 (unlimited) or more, not " + maximumRetryCount + ".");
                }
            }
            default -> throw invalid("Unknown restart policy '" + name + "'; use no, always, unless-stopped or on-failure[:N].");
        }
    }

    /**
     * Whether a container that just exited should be restarted.
     *
     * @param exitCode      its exit code
     * @param restartCount  restarts already done in this run of restarts
     * @param stoppedByUser whether a user stopped or killed it
     */
    public boolean shouldRestart(int exitCode, int restartCount, boolean stoppedByUser) {
        if (stoppedByUser) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    /** Whether the engine starts this container again at its own start, when it was running before. */
    public boolean restartsWithEngine(boolean stoppedByUser) {
        return switch (name) {
            case "always" -> true;
            case "unless-stopped", "on-failure" -> !stoppedByUser;
            default -> false;
        };
    }

    public String text() {
        return "on-failure".equals(name) && maximumRetryCount > 0 ? name + ":" + maximumRetryCount : name;
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Reason.INVALID_ARGUMENT, "invalid_restart_policy", message);
    }
}
