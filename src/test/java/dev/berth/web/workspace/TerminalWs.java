package dev.berth.web.workspace;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A minimal terminal WebSocket client for these tests: collects control messages, sends input, notes the close. */
final class TerminalWs implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final List<JsonNode> controls = new CopyOnWriteArrayList<>();
    volatile int closeCode = -1;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket ws;

    static TerminalWs connect(URI base, String terminal, String query, String authorization, String cookie) throws Exception {
        TerminalWs c = new TerminalWs();
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal + (query == null ? "" : "?" + query));
        WebSocket.Builder b = HTTP.newWebSocketBuilder().header("Origin", base.getScheme() + "://" + base.getAuthority());
        if (authorization != null) b.header("Authorization", authorization);
        if (cookie != null) b.header("Cookie", cookie);
        c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                controls.add(JSON.readTree(partial.toString()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        return null;
    }

    /** The role the server gave ("owner", "driver", "viewer"), or null before the hello or when refused. */
    String role() {
        return controls.stream().filter(m -> m.path("type").asText().equals("hello")).findFirst()
                .map(m -> m.path("role").asText()).orElse(null);
    }

    void type(String text) throws Exception {
        ws.sendText(JSON.writeValueAsString(java.util.Map.of("type", "input", "data", text)), true).get(5, TimeUnit.SECONDS);
    }

    void abort() {
        if (ws != null) ws.abort();
    }
}
