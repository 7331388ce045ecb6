package dev.berth.engine.container;

import java.util.List;
import java.util.Map;

/**
 * Docker's list filters: {@code status} (created, running, paused, restarting, removing, exited, dead),
 * {@code name} (substring), {@code label} ({@code key} or {@code key=value}), {@code id} (prefix),
 * {@code ancestor} (image reference or id prefix). Values of one filter are alternatives; filters combine.
 */
public record ContainerFilters(boolean all, Map<String, List<String>> filters) {
    public static final List<String> KNOWN = List.of("status", "name", "label", "id", "ancestor");

    public ContainerFilters {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
        for (String key : filters.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new SpecValidator.InvalidField("filters", "Unknown filter '" + key + "'; use one of " + KNOWN + ".");
            }
        }
    }

    public static ContainerFilters running() {
        return new ContainerFilters(false, Map.of());
    }

    boolean matches(ContainerConfig config, ContainerState state) {
        if (!all && !filters.containsKey("status") && !state.running() && !"restarting".equals(state.status)) {
            return false;
        }
        return anyOf("status", v -> v.equals(state.status))
                && anyOf("name", v -> config.name().contains(v.startsWith("/") ? v.substring(1) : v))
                && anyOf("id", v -> config.id().startsWith(v))
                && anyOf("ancestor", v -> v.equals(config.imageRef()) || v.equals(config.spec().image())
                        || config.imageId().equals(v) || (v.length() >= 4 && config.imageId().replace("sha256:", "").startsWith(v.replace("sha256:", ""))))
                && allLabels(config.spec().labels());
    }

    private boolean anyOf(String key, java.util.function.Predicate<String> test) {
        List<String> values = filters.get(key);
        return values == null || values.isEmpty() || values.stream().anyMatch(test);
    }

    private boolean allLabels(Map<String, String> labels) {
        List<String> values = filters.get("label");
        if (values == null) {
            return true;
        }
        return values.stream().allMatch(v -> {
            int eq = v.indexOf('=');
            return eq < 0 ? labels.containsKey(v) : v.substring(eq + 1).equals(labels.get(v.substring(0, eq)));
        });
    }
}
