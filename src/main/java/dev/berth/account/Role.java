package dev.berth.account;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an account may do. Admins administer users and the host; users work with their own containers. */
public enum Role {
    ADMIN, USER;

    /** The name used in the API, the database and security checks, e.g. {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.id().equals(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Unknown role '" + value + "'; use one of "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
