package dev.berth.ownership;

/** The kinds of engine objects that have an owner. Images are host-wide and have none. */
public enum ResourceKind {
    CONTAINER, VOLUME, NETWORK;

    /** Lower-case name for messages, e.g. {@code container}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
