package dev.berth.engine.container;

import java.util.List;

/** The processes of a container, as Docker's top answers: column titles and one row per process. */
public record TopResult(List<String> titles, List<List<String>> processes) {
}
