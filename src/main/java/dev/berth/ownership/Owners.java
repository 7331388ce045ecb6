package dev.berth.ownership;

import java.util.Map;

/** The engine label naming an object's owner, set by the web layer when a user creates the object. */
public final class Owners {
    /** Label on containers, volumes and networks: the user name of whoever created it. */
    public static final String LABEL = "dev.berth.owner";

    private Owners() {
    }

    /** The owner recorded in {@code labels}, or null for objects created before ownership (admins only see those). */
    public static String of(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        String owner = labels.get(LABEL);
        return owner == null || owner.isBlank() ? null : owner;
    }
}
