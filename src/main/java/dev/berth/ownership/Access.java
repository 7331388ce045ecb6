package dev.berth.ownership;

/**
 * What a person may do with an owned object. READ: see it in lists, inspect it, read its logs and stats, use it
 * (a network to attach to). CONTROL: everything READ allows plus change it (start, stop, exec, remove, copy files
 * in, connect containers). The strongest access any reason gives wins.
 */
public enum Access {
    NONE, READ, CONTROL;

    public boolean atLeast(Access other) {
        return compareTo(other) >= 0;
    }

    public static Access strongest(Access a, Access b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
