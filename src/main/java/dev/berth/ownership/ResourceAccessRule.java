package dev.berth.ownership;

/**
 * One more reason a person may use someone else's container, volume or network: a grant, a class trainer, a
 * workspace. Every CDI bean implementing this is asked by {@link Ownership} (after admin and owner, which need no
 * rule); the strongest access wins. Answer {@link Access#NONE} when the rule has nothing to say. Rules are asked on
 * worker threads, also outside a REST request (port links): a rule that reads the database should activate its own
 * request context ({@code @ActivateRequestContext}). They are asked once per object in lists: keep them quick.
 */
public interface ResourceAccessRule {
    Access accessTo(Requester who, OwnedResource resource);
}
