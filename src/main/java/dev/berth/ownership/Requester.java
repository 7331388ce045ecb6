package dev.berth.ownership;

import java.util.Set;

/** Who is asking: a principal name and its security roles ({@code admin}, {@code user}, {@code guest}). */
public record Requester(String name, Set<String> roles) {
    public static final String ADMIN = "admin";

    public Requester {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean admin() {
        return roles.contains(ADMIN);
    }

    /** The role whose quota applies: admin, user, or the first other role. */
    public String quotaRole() {
        if (roles.contains(ADMIN)) {
            return ADMIN;
        }
        if (roles.contains("user")) {
            return "user";
        }
        return roles.stream().sorted().findFirst().orElse("user");
    }
}
