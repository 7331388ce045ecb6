package dev.berth.engine.container;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Predicate;

/**
 * Docker-like generated names ({@code adjective_surname}) for containers created without one. Word lists
 * are Berth's own: adjectives of temperament and surnames of navigators, cartographers and engineers.
 */
public final class NameGenerator {
    static final List<String> ADJECTIVES = List.of(
            "able", "agile", "amber", "ardent", "brave", "bright", "brisk", "calm", "candid", "careful",
            "cheerful", "clever", "cosmic", "curious", "daring", "deft", "eager", "earnest", "even", "fair",
            "fearless", "fluent", "focused", "frank", "gentle", "glad", "gracious", "hardy", "honest", "humble",
            "jolly", "keen", "kind", "lively", "loyal", "lucid", "merry", "mindful", "modest", "nimble",
            "noble", "patient", "plucky", "polite", "proud", "quick", "quiet", "radiant", "ready", "sincere",
            "serene", "sharp", "spry", "steady", "sturdy", "sunny", "swift", "tidy", "tranquil", "trusty",
            "upbeat", "valiant", "vivid", "warm", "wise", "witty", "zealous", "zesty");
    static final List<String> SURNAMES = List.of(
            "amundsen", "baffin", "barents", "bering", "bligh", "cabot", "cartier", "champlain", "cook",
            "dampier", "drake", "eriksson", "flinders", "frobisher", "gama", "hudson", "ibnbattuta", "jansz",
            "kupe", "laperouse", "magellan", "mercator", "nansen", "ortelius", "peary", "polo", "pytheas",
            "raleigh", "ross", "shackleton", "tasman", "vancouver", "vespucci", "zheng", "babbage", "lovelace",
            "hopper", "dijkstra", "knuth", "liskov", "hamilton", "ritchie", "thompson", "torvalds", "wirth",
            "backus", "mccarthy", "kay", "lamport", "perlman", "allen", "engelbart", "shannon", "turing",
            "noether", "hypatia", "curie", "meitner", "franklin", "goodall", "carson", "johnson", "vaughan");

    private final SecureRandom random = new SecureRandom();

    /** A name not yet taken per {@code taken}; after many collisions a numeric suffix is added, as Docker does. */
    public String generate(Predicate<String> taken) {
        for (int attempt = 0; attempt < 20; attempt++) {
            String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                    + SURNAMES.get(random.nextInt(SURNAMES.size()));
            if (attempt >= 5) {
                name = name + random.nextInt(10);
            }
            if (!taken.test(name)) {
                return name;
            }
        }
        String name;
        do {
            name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
                    + SURNAMES.get(random.nextInt(SURNAMES.size())) + random.nextInt(1_000_000);
        } while (taken.test(name));
        return name;
    }
}
