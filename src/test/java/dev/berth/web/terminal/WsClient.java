package dev.berth.web.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.terminal.vt.VtEmulator;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A terminal client over a real WebSocket (the JDK's), doing what the browser does: checks sequence numbers,
 * renders output and repaints in its own emulator, sends keys and control messages. It can stop reading
 * (no more frames requested, so TCP backs up) like a stalled browser.
 */
final class WsClient implements WebSocket.Listener {
    static final int SCROLLBACK = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Kept reachable: the JDK closes the WebSockets of an HttpClient that is garbage collected. */
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final List<JsonNode> controls = new ArrayList<>();
    VtEmulator screen = new VtEmulator(80, 24, SCROLLBACK);
    long nextSeq = -1;
    int snapshots;
    String sequenceError;
    int closeCode = -1;
    String closeReason;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final StringBuilder partialText = new StringBuilder();
    private volatile boolean stalled;
    private WebSocket ws;

    static WsClient connect(URI base, String terminal, String query, String authorization, String cookie) throws Exception {
        WsClient c = new WsClient();
        java.util.regex.Matcher resume = java.util.regex.Pattern.compile("(?:^|&)resume=(\\d+)").matcher(query == null ? "" : query);
        if (resume.find()) c.nextSeq = Long.parseLong(resume.group(1));
        URI uri = URI.create(base.toString().replaceFirst("^http", "ws") + "ws/terminals/" + terminal + (query == null ? "" : "?" + query));
        WebSocket.Builder b = HTTP.newWebSocketBuilder()
                .header("Origin", base.getScheme() + "://" + base.getAuthority());
        if (authorization != null) b.header("Authorization", authorization);
        if (cookie != null) b.header("Cookie", cookie);
        c.ws = b.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
        return c;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public synchronized CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.write(b, 0, b.length);
        if (last) {
            frame(ByteBuffer.wrap(partial.toByteArray()));
            partial.reset();
        }
        if (!stalled) webSocket.request(1);
        return null;
    }

    private void frame(ByteBuffer f) {
        byte type = f.get();
        long seq = f.getLong();
        if (type == 0x01) {
            if (nextSeq >= 0 && seq != nextSeq && sequenceError == null) sequenceError = "expected " + nextSeq + " got " + seq;
            byte[] bytes = new byte[f.remaining()];
            f.get(bytes);
            nextSeq = seq + bytes.length;
            output.write(bytes, 0, bytes.length);
            screen.write(bytes);
        } else if (type == 0x02) {
            int cols = f.getShort() & 0xFFFF, rows = f.getShort() & 0xFFFF;
            byte[] bytes = new byte[f.remaining()];
            f.get(bytes);
            snapshots++;
            nextSeq = seq;
            screen = new VtEmulator(cols, rows, SCROLLBACK);
            screen.write(bytes);
        }
    }

    @Override
    public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partialText.append(data);
        if (last) {
            try {
                JsonNode m = JSON.readTree(partialText.toString());
                controls.add(m);
                String type = m.path("type").asText();
                if (type.equals("size") || type.equals("state")) screen.resize(m.get("cols").asInt(), m.get("rows").asInt());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partialText.setLength(0);
        }
        if (!stalled) webSocket.request(1);
        return null;
    }

    @Override
    public synchronized CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        return null;
    }

    void keys(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer f = ByteBuffer.allocate(b.length + 1).put((byte) 0).put(b).flip();
        ws.sendBinary(f, true).join();
    }

    void control(String json) {
        ws.sendText(json, true).join();
    }

    void stall() {
        stalled = true;
    }

    void resume() {
        stalled = false;
        ws.request(1);
    }

    void close() {
        ws.sendClose(1000, "bye").join();
    }

    void abort() {
        ws.abort();
    }

    synchronized String text() {
        return output.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] bytes() {
        return output.toByteArray();
    }

    synchronized long nextSeq() {
        return nextSeq;
    }

    synchronized String screenDump() {
        return screen.stateDump();
    }

    synchronized List<JsonNode> controls(String type) {
        return controls.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    synchronized boolean closed() {
        return closeCode >= 0;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @SuppressWarnings("unused")
    private static <T> CompletableFuture<T> done() {
        return CompletableFuture.completedFuture(null);
    }
}
