package dev.berth.web.terminal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.terminal.ClientSink;
import dev.berth.terminal.SharedOutput;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Frames for one WebSocket. Output: {@code 0x01, seq (8 bytes, big-endian), bytes}. Repaint:
 * {@code 0x02, seq (8), cols (2), rows (2), bytes}. Control: JSON text. A send's completion is the socket's write
 * completion, so a client that stops reading stops completing sends and the hub's bound applies.
 */
final class WebSocketSink implements ClientSink {
    static final byte OUTPUT = 0x01, SNAPSHOT = 0x02;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(WebSocketSink.class.getName());
    private final WebSocketConnection connection;
    private volatile boolean broken; // a send failed: the socket is gone

    WebSocketSink(WebSocketConnection connection) {
        this.connection = connection;
    }

    @Override
    public void sendOutput(long seq, byte[] bytes, int offset, int length, Runnable done) {
        send(outputFrame(seq, bytes, offset, length), done);
    }

    /**
     * One copy of the bytes behind the 9-byte header. (A zero-copy composite of header and bytes was tried: the
     * socket write then cost more than the copy saved, bench/terminals/README.md.)
     */
    private static Buffer outputFrame(long seq, byte[] bytes, int offset, int length) {
        return Buffer.buffer(9 + length).appendByte(OUTPUT).appendLong(seq).appendBytes(bytes, offset, length);
    }

    /**
     * Encoded once for all clients, in direct memory: Vert.x writes an unreleasable slice of the buffer each time,
     * so the bytes are shared, and Netty's socket write takes direct memory as it is. A heap frame was copied into
     * direct memory again for every client it went to (50 copies of each chunk for a class of 50). The memory is
     * the JDK's (freed by the garbage collector with the last reference, never released by hand).
     */
    @Override
    public void sendOutput(SharedOutput output, Runnable done) {
        Buffer b = (Buffer) output.encoded();
        if (b == null) {
            b = directOutputFrame(output.seq(), output.bytes());
            output.encoded(b);
        }
        send(b, done);
    }

    static Buffer directOutputFrame(long seq, byte[] bytes) {
        ByteBuffer frame = ByteBuffer.allocateDirect(9 + bytes.length);
        frame.put(OUTPUT).putLong(seq).put(bytes).flip();
        return Buffer.buffer(Unpooled.wrappedBuffer(frame));
    }

    @Override
    public void sendSnapshot(long seq, int cols, int rows, byte[] repaint, Runnable done) {
        Buffer b = Buffer.buffer(13 + repaint.length).appendByte(SNAPSHOT).appendLong(seq)
                .appendUnsignedShort(cols).appendUnsignedShort(rows).appendBytes(repaint);
        send(b, done);
    }

    private void send(Buffer b, Runnable done) {
        if (broken || connection.isClosed()) {
            return; // never completes: the client is being removed
        }
        connection.sendBinary(b).subscribe().with(ok -> done.run(), this::failed);
    }

    @Override
    public void sendControl(Map<String, Object> message, Runnable done) {
        if (broken || connection.isClosed()) return;
        String text;
        try {
            text = JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("control message not serialisable: " + message, e);
        }
        connection.sendText(text).subscribe().with(ok -> done.run(), this::failed);
    }

    /**
     * A write that failed means the socket is gone (reset by the peer, or closed under a write), even while the
     * connection still counts as open: the close handler removes the client and drops what is queued for it. So the
     * send never completes, and nothing more is written into the dead socket: going on sent the rest of the queue
     * frame by frame, each failing with a warning (1,424 warnings when 50 benchmark readers went away at once).
     */
    private void failed(Throwable failure) {
        if (broken) return;
        broken = true;
        LOG.log(Level.FINE, "send to terminal client " + connection.id() + " failed; closing it", failure);
        if (!connection.isClosed()) connection.close(new CloseReason(1011, "send failed")).subscribe().with(ok -> { }, f -> { });
    }

    @Override
    public void close(int code, String reason) {
        if (connection.isClosed()) return;
        String r = reason.length() > 120 ? reason.substring(0, 120) : reason;
        connection.close(new CloseReason(code, r)).subscribe().with(ok -> { }, failure -> { });
    }
}
