package dev.berth.engine.image;

import java.util.List;
import java.util.Map;

/**
 * The run-time defaults an image carries (the {@code config} object of an OCI/Docker image config), as the
 * containers part of the engine needs them. Lists and maps are never null.
 *
 * @param env          {@code KEY=value} strings, in image order
 * @param entrypoint   the entrypoint argv, empty if none
 * @param cmd          the default command argv, empty if none
 * @param workingDir   working directory, empty string means "/"
 * @param user         {@code user[:group]} as in Docker, empty means root
 * @param exposedPorts like {@code 80/tcp}, sorted
 * @param volumes      volume mount points, sorted
 * @param labels       image labels
 * @param stopSignal   the stop signal, empty if unset
 */
public record ImageConfig(List<String> env, List<String> entrypoint, List<String> cmd, String workingDir, String user,
                          List<String> exposedPorts, List<String> volumes, Map<String, String> labels,
                          String stopSignal) {
}
