package dev.berth.web.audit;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/**
 * Which REST calls are audited, and under which action name: one table, keyed by HTTP method and route
 * template ({@code POST /containers/{id}/start}), so resources need no audit code of their own and keep
 * being recorded when they move between classes. Calls not listed here (reads, and endpoints that record their
 * own entries, such as logins and tokens) are not recorded by {@link AuditFilter}.
 */
final class AuditedRequests {
    static final Map<String, String> ACTIONS = Map.ofEntries(
            Map.entry("POST /users", "user.create"),
            Map.entry("PATCH /users/{id}", "user.update"),
            Map.entry("POST /users/{id}/password", "user.password-reset"),
            Map.entry("POST /images/pull", "image.pull"),
            Map.entry("POST /images/import", "image.import"),
            Map.entry("POST /images/tag", "image.tag"),
            Map.entry("DELETE /images/{ref: .+}", "image.remove"),
            Map.entry("POST /containers", "container.create"),
            Map.entry("POST /containers/{id}/start", "container.start"),
            Map.entry("POST /containers/{id}/stop", "container.stop"),
            Map.entry("POST /containers/{id}/restart", "container.restart"),
            Map.entry("POST /containers/{id}/pause", "container.pause"),
            Map.entry("POST /containers/{id}/unpause", "container.unpause"),
            Map.entry("POST /containers/{id}/kill", "container.kill"),
            Map.entry("DELETE /containers/{id}", "container.remove"),
            Map.entry("POST /containers/{id}/rename", "container.rename"),
            Map.entry("PUT /containers/{id}/archive", "container.copy-in"),
            Map.entry("POST /containers/{id}/exec", "container.exec"),
            Map.entry("POST /containers/{id}/terminal", "container.attach"),
            Map.entry("POST /volumes", "volume.create"),
            Map.entry("DELETE /volumes/{name}", "volume.remove"),
            Map.entry("POST /networks", "network.create"),
            Map.entry("DELETE /networks/{network}", "network.remove"),
            Map.entry("POST /networks/{network}/connect", "network.connect"),
            Map.entry("POST /networks/{network}/disconnect", "network.disconnect"),
            Map.entry("POST /terminals/{id}/recordings", "terminal.recording-start"),
            Map.entry("DELETE /terminals/{id}/recordings/current", "terminal.recording-stop"));

    private AuditedRequests() {
    }

    /** The action of a resource method, if it is audited. */
    static Optional<String> actionOf(Class<?> resource, Method method) {
        if (resource == null || method == null) {
            return Optional.empty();
        }
        String verb = method.isAnnotationPresent(POST.class) ? "POST"
                : method.isAnnotationPresent(DELETE.class) ? "DELETE"
                : method.isAnnotationPresent(PUT.class) ? "PUT"
                : method.isAnnotationPresent(PATCH.class) ? "PATCH" : null;
        if (verb == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(ACTIONS.get(verb + " " + template(resource, method)));
    }

    static String template(Class<?> resource, Method method) {
        Path classPath = resource.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        String path = join(classPath == null ? "" : classPath.value(), methodPath == null ? "" : methodPath.value());
        return path.isEmpty() ? "/" : path;
    }

    private static String join(String a, String b) {
        String left = strip(a);
        String right = strip(b);
        if (left.isEmpty()) {
            return right.isEmpty() ? "" : "/" + right;
        }
        return "/" + left + (right.isEmpty() ? "" : "/" + right);
    }

    private static String strip(String s) {
        String r = s.strip();
        while (r.startsWith("/")) {
            r = r.substring(1);
        }
        while (r.endsWith("/")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
