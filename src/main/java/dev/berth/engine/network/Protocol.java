package dev.berth.engine.network;

/** Transport protocol of a published port. */
public enum Protocol {
    TCP, UDP;

    public String lower() {
        return name().toLowerCase();
    }
}
