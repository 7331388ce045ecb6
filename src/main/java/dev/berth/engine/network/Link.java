package dev.berth.engine.network;

/** Docker's legacy {@code --link target:alias}: the target container becomes reachable as {@code alias}. */
public record Link(String target, String alias) {

    public static Link parse(String text) {
        int colon = text.indexOf(':');
        return colon < 0 ? new Link(text, text) : new Link(text.substring(0, colon), text.substring(colon + 1));
    }
}
