package dev.berth.web.audit;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.berth.audit.AuditLog;
import dev.berth.web.ApiError;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Records the REST calls listed in {@link AuditedRequests} once they are answered: who (the principal), what
 * (the action), on what (the path's id, or the created object's id or name), the outcome, and a summary of the
 * request body with secrets left out (passwords, tokens, environment variables). Refusals are recorded too
 * ({@code failed: 403 forbidden}); unauthenticated calls (401) are not, they never reach an action.
 */
public class AuditFilter {
    private static final Pattern SECRET_KEYS = Pattern.compile("(?i).*(password|secret|token|env|auth).*");
    private static final int BODY_SUMMARY_CHARS = 600;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper json;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerResponseFilter
    public void recordAnswer(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource) {
        Optional<String> action = AuditedRequests.actionOf(resource.getResourceClass(), resource.getResourceMethod());
        if (action.isEmpty() || response.getStatus() == 401) {
            return;
        }
        String actor = actor();
        if (actor == null) {
            return;
        }
        Object body = request.getProperty(AuditBodyCapture.BODY);
        String target = target(request, response.getEntity(), body);
        StringBuilder detail = new StringBuilder();
        int status = response.getStatus();
        if (status >= 400) {
            detail.append("failed: ").append(status);
            if (response.getEntity() instanceof ApiError e) {
                detail.append(' ').append(e.error()).append(" (").append(e.message()).append(')');
            }
        }
        JsonNode answer = response.getEntity() == null || response.getEntity() instanceof ApiError ? null
                : tree(response.getEntity());
        if (answer != null && answer.hasNonNull("terminalId")) {
            detail.append("terminal ").append(answer.get("terminalId").asText());
        }
        String summary = summary(body, request);
        if (!summary.isEmpty()) {
            if (detail.length() > 0) {
                detail.append("; ");
            }
            detail.append(summary);
        }
        audit.record(actor, action.get(), target, detail.length() == 0 ? null : detail.toString());
    }

    private String actor() {
        try {
            SecurityIdentity id = identities.getIdentity();
            return id == null || id.isAnonymous() ? null : id.getPrincipal().getName();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String target(ContainerRequestContext request, Object entity, Object body) {
        var params = request.getUriInfo().getPathParameters();
        for (String p : List.of("id", "ref", "name", "network")) {
            String v = params.getFirst(p);
            if (v != null) {
                return v;
            }
        }
        JsonNode e = entity == null || entity instanceof ApiError ? null : tree(entity);
        if (e != null && e.isObject()) {
            for (String f : List.of("Id", "username", "name", "Name", "tagged", "loaded", "id", "terminalId")) {
                JsonNode v = e.get(f);
                if (v != null && !v.isNull()) {
                    return v.isTextual() ? v.asText() : v.toString();
                }
            }
        }
        JsonNode b = body == null ? null : tree(body);
        if (b != null && b.isObject()) {
            for (String f : List.of("reference", "target", "username", "name", "image")) {
                JsonNode v = b.get(f);
                if (v != null && v.isTextual()) {
                    return v.asText();
                }
            }
        }
        return null;
    }

    private String summary(Object body, ContainerRequestContext request) {
        StringBuilder s = new StringBuilder();
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null && !query.isEmpty()) {
            s.append('?').append(query);
        }
        JsonNode b = body == null ? null : tree(body);
        if (b instanceof ObjectNode o) {
            redact(o);
            if (o.size() > 0) {
                if (s.length() > 0) {
                    s.append(' ');
                }
                String text = o.toString();
                s.append(text.length() > BODY_SUMMARY_CHARS ? text.substring(0, BODY_SUMMARY_CHARS) + "…" : text);
            }
        }
        return s.toString();
    }

    private static void redact(ObjectNode o) {
        Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (SECRET_KEYS.matcher(f.getKey()).matches()) {
                if (!v.isNull()) {
                    f.setValue(o.textNode("(hidden)"));
                }
            } else if (v.isNull() || (v.isContainerNode() && v.isEmpty())) {
                fields.remove();
            } else if (v instanceof ObjectNode child) {
                redact(child);
            }
        }
    }

    private JsonNode tree(Object value) {
        try {
            return json.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
