package dev.berth.web.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.auth.BerthPrincipal;
import dev.berth.terminal.KeyboardMode;
import dev.berth.terminal.ResizePolicy;
import dev.berth.terminal.TerminalAccess;
import dev.berth.terminal.TerminalClient;
import dev.berth.terminal.TerminalHub;
import dev.berth.terminal.TerminalRegistry;
import dev.berth.terminal.TerminalRole;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code /ws/terminals/{terminalId}}: one browser on one terminal. Protocol in docs/terminal-protocol.md.
 * Thin: authenticate (the upgrade), look up the role, hand frames to the hub.
 */
@Authenticated
@WebSocket(path = "/ws/terminals/{terminalId}")
public class TerminalSocket {
    static final byte IN_KEYS = 0x00, IN_PASTE = 0x01;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConcurrentMap<String, TerminalClient> CLIENTS = new ConcurrentHashMap<>();

    @Inject
    TerminalRegistry registry;
    @Inject
    TerminalAccess access;
    @Inject
    SecurityIdentity identity;
    @Inject
    TerminalAudit audit;

    @OnOpen
    public void open(WebSocketConnection connection) {
        String terminalId = connection.pathParam("terminalId");
        Optional<TerminalHub> hub = registry.find(terminalId);
        String user = identity.getPrincipal().getName();
        Optional<TerminalRole> role = hub.isPresent() ? access.roleFor(user, identity.getRoles(), terminalId) : Optional.empty();
        if (hub.isEmpty() || role.isEmpty()) {
            // same answer for "absent" and "not yours": ids are not disclosed
            connection.sendTextAndAwait(errorJson("not-found", "terminal " + terminalId + " does not exist or is not shared with you"));
            connection.closeAndAwait(new CloseReason(4404, "no such terminal"));
            return;
        }
        Object session = identity.getAttribute(BerthPrincipal.SESSION_ID);
        if (session == null && identity.getAttribute(BerthPrincipal.API_TOKEN_ID) != null) {
            // revoking the token closes this connection (TokenSocketsCloser)
            session = dev.berth.account.ApiTokenRevoked.connectionSession(identity.getAttribute(BerthPrincipal.API_TOKEN_ID));
        }
        var params = connection.handshakeRequest();
        if (params.query() != null && Arrays.asList(params.query().split("&")).contains("as=viewer")) {
            role = Optional.of(TerminalRole.VIEWER); // watch only (e.g. the instructor's thumbnails), whatever one may do
        }
        int cols = intParam(params.query(), "cols", 80);
        int rows = intParam(params.query(), "rows", 24);
        long resume = longParam(params.query(), "resume", -1);
        TerminalClient client = hub.get().join(user, session == null ? null : session.toString(), role.get(), cols, rows,
                resume, new WebSocketSink(connection));
        CLIENTS.put(connection.id(), client);
        audit.joined(client, address(connection));
    }

    /** Input frames up to this size are handled on the event loop (a keystroke skips the worker-thread hop). */
    static final int INLINE_INPUT_BYTES = 4096;
    private static final ConcurrentMap<String, CompletableFuture<Void>> LARGE_INPUT = new ConcurrentHashMap<>();

    /**
     * Non-blocking: small frames (keys, short pastes) go to the hub right here on the event loop (the hub's work
     * for them is a role check and one write to the monitor socket). Larger pastes go to a worker thread; frames
     * that arrive while one is in progress queue behind it, so input keeps its order.
     */
    @OnBinaryMessage
    public Uni<Void> binary(WebSocketConnection connection, Buffer frame) {
        TerminalClient c = CLIENTS.get(connection.id());
        if (c == null || frame.length() < 1) return Uni.createFrom().voidItem();
        byte kind = frame.getByte(0);
        byte[] data = frame.getBytes(1, frame.length());
        if (kind != IN_KEYS && kind != IN_PASTE) {
            c.hub().error(c, "bad-frame", "unknown binary frame type " + kind + ": input frames start with 0 (keys) or 1 (paste)");
            return Uni.createFrom().voidItem();
        }
        Runnable task = () -> input(connection, c, data, kind == IN_PASTE);
        // no lock here (the hub takes its own and then the clients'): one connection's messages arrive one at a
        // time on its event loop, the only thread that touches its LARGE_INPUT entry
        CompletableFuture<Void> pending = LARGE_INPUT.get(connection.id());
        if (data.length <= INLINE_INPUT_BYTES && (pending == null || pending.isDone())) {
            task.run();
        } else {
            CompletableFuture<Void> next = (pending == null ? CompletableFuture.<Void>completedFuture(null) : pending)
                    .thenRunAsync(task, Infrastructure.getDefaultWorkerPool())
                    .exceptionally(e -> null);
            LARGE_INPUT.put(connection.id(), next);
        }
        return Uni.createFrom().voidItem();
    }

    @OnTextMessage
    public void text(WebSocketConnection connection, String message) {
        TerminalClient c = CLIENTS.get(connection.id());
        if (c == null) return;
        TerminalHub hub = c.hub();
        String controllerBefore = hub.controller().orElse(null);
        try {
            JsonNode m = JSON.readTree(message);
            String type = m.path("type").asText("");
            switch (type) {
                case "input" -> input(connection, c,
                        m.path("data").asText("").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        m.path("paste").asBoolean(false));
                case "resize" -> hub.resize(c, m.path("cols").asInt(0), m.path("rows").asInt(0));
                case "request-control" -> hub.requestControl(c);
                case "grant" -> hub.grantControl(c, m.path("user").asText(""));
                case "take-back" -> hub.takeBack(c);
                case "keyboard-mode" -> hub.setKeyboardMode(c, KeyboardMode.fromWire(m.path("mode").asText("")));
                case "resize-policy" -> hub.setResizePolicy(c, ResizePolicy.fromWire(m.path("policy").asText("")));
                case "set-role" -> hub.setRole(c, m.path("user").asText(""), TerminalRole.fromWire(m.path("role").asText("")));
                default -> hub.error(c, "bad-message", "unknown message type '" + type + "'");
            }
        } catch (IllegalArgumentException e) {
            hub.error(c, "bad-message", e.getMessage());
        } catch (java.io.IOException e) {
            hub.error(c, "bad-message", "control messages are JSON objects with a \"type\": " + e.getMessage());
        }
        audit.controlChanged(c, controllerBefore, hub.controller().orElse(null), address(connection));
    }

    private void input(WebSocketConnection connection, TerminalClient c, byte[] data, boolean paste) {
        boolean typed = paste || !dev.berth.terminal.QueryResponses.isResponse(data);
        boolean secret = typed && audit.startsSecretLine(c);
        TerminalHub.InputResult result = c.hub().input(c, data, paste);
        if (result == TerminalHub.InputResult.ACCEPTED && typed) {
            audit.typed(c, data, address(connection), secret);
        }
    }

    /** The client's address (without port), as the upgrade request saw it. */
    static String address(WebSocketConnection connection) {
        String a = connection.handshakeRequest().remoteAddress();
        if (a == null) return null;
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end > 0 ? a.substring(1, end) : a;
        }
        int colon = a.lastIndexOf(':');
        return colon > 0 && a.indexOf(':') == colon ? a.substring(0, colon) : a;
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        TerminalClient c = CLIENTS.remove(connection.id());
        LARGE_INPUT.remove(connection.id());
        if (c != null) {
            c.hub().leave(c);
            audit.left(c, address(connection));
        }
    }

    static String errorJson(String code, String message) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("type", "error", "code", code, "message", message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int intParam(String query, String name, int def) {
        return (int) longParam(query, name, def);
    }

    private static long longParam(String query, String name, long def) {
        if (query == null) return def;
        return Arrays.stream(query.split("&"))
                .filter(p -> p.startsWith(name + "="))
                .map(p -> p.substring(name.length() + 1))
                .findFirst()
                .map(v -> {
                    try {
                        return Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        return def;
                    }
                }).orElse(def);
    }
}
