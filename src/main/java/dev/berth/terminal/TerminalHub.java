package dev.berth.terminal;

import dev.berth.terminal.vt.VtEmulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One terminal (a TTY) shared by any number of clients. The hub is the source's only reader: each output chunk is
 * filtered (no OSC 52), appended to the numbered output window, fed to the server-side emulator and recorder, and
 * offered to every client's bounded queue. Input passes the role and keyboard-mode checks; the PTY size follows
 * the resize policy.
 */
public final class TerminalHub {
    private static final Logger LOG = Logger.getLogger(TerminalHub.class.getName());
    private static final long TYPING_NOTICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ERROR_NOTICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] PASTE_START = "\u001b[200~".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASTE_END = "\u001b[201~".getBytes(StandardCharsets.US_ASCII);

    private final String id;
    private final String owner;
    private final TerminalSource source;
    private final TerminalSettings settings;
    private final OutputWindow window;
    private final VtEmulator screen;
    private final ClipboardFilter clipboardFilter = new ClipboardFilter();
    private final List<TerminalClient> clients = new CopyOnWriteArrayList<>();
    private final Map<String, TerminalRole> roleOverrides = new HashMap<>();
    private final Map<String, Long> lastTypingNotice = new HashMap<>();
    private final AtomicLong clientCounter = new AtomicLong();
    private final List<Consumer<TerminalHub>> exitListeners = new CopyOnWriteArrayList<>();

    // guarded by this
    private KeyboardMode keyboardMode = KeyboardMode.SHARED;
    private String controller; // user holding control in SINGLE mode
    private ResizePolicy resizePolicy = ResizePolicy.DRIVER;
    private TerminalClient activeDriver; // whose size the PTY follows under DRIVER
    private AsciicastRecorder recorder;
    private byte[] lastSnapshot; // the current screen as a repaint, until output or a resize changes it
    private boolean exited;
    /** How long a client that stopped reading may hold up its close after the program exited. */
    static final java.time.Duration EXIT_DRAIN_GRACE = java.time.Duration.ofSeconds(5);
    private int exitStatus;

    public TerminalHub(String id, String owner, TerminalSource source, int cols, int rows, TerminalSettings settings) {
        this.id = id;
        this.owner = owner;
        this.source = source;
        this.settings = settings;
        this.window = new OutputWindow(settings.windowBytes());
        this.screen = new VtEmulator(cols, rows, settings.scrollbackLines());
    }

    /** Starts reading the source (once). */
    public void start() throws IOException {
        source.start(new TerminalSource.Output() {
            @Override
            public void data(byte[] bytes, int offset, int length) {
                onOutput(bytes, offset, length, false);
            }

            @Override
            public void handOver(byte[] bytes) {
                onOutput(bytes, 0, bytes.length, true);
            }

            @Override
            public void exited(int status) {
                onExit(status);
            }
        });
        try {
            source.resize(screen.cols(), screen.rows());
        } catch (IOException e) {
            LOG.log(Level.FINE, "initial resize of terminal " + id + " failed", e);
        }
    }

    public String id() {
        return id;
    }

    public String owner() {
        return owner;
    }

    public synchronized int cols() {
        return screen.cols();
    }

    public synchronized int rows() {
        return screen.rows();
    }

    /** Sequence number of the next output byte (= total output bytes so far). */
    public synchronized long sequence() {
        return window.end();
    }

    public synchronized KeyboardMode keyboardMode() {
        return keyboardMode;
    }

    public synchronized Optional<String> controller() {
        return Optional.ofNullable(controller);
    }

    public synchronized ResizePolicy resizePolicy() {
        return resizePolicy;
    }

    public List<TerminalClient> clients() {
        return List.copyOf(clients);
    }

    public synchronized boolean hasExited() {
        return exited;
    }

    /** The server-side screen state, as text (for tests and diagnostics). */
    public synchronized String screenDump() {
        return screen.stateDump();
    }

    public synchronized String screenText() {
        return screen.screenText();
    }

    public void onExit(Consumer<TerminalHub> listener) {
        exitListeners.add(listener);
    }

    // ------------------------------------------------------------------ output

    /**
     * Pacing: a client this far behind counts as behind (256 KiB, or half the client queue bound if that is smaller,
     * so pacing starts before a client is dropped to a repaint); the source is held back at most PACE_MAX_NANOS at
     * a time.
     */
    static final long PACE_BEHIND_BYTES = 256 << 10;
    static final long PACE_MAX_NANOS = 200_000_000L;
    /** Ends holds that last PACE_MAX_NANOS (one daemon thread for all hubs; it only wakes while a hub holds). */
    private static final ScheduledThreadPoolExecutor PACE_TIMER = paceTimer();
    private final AtomicBoolean holding = new AtomicBoolean();
    private volatile ScheduledFuture<?> holdTimeout; // the current hold's, set before holding

    /**
     * When most clients that are moving (more than half of them) are at least {@link #PACE_BEHIND_BYTES} behind,
     * holds the source back (up to {@link #PACE_MAX_NANOS}) until enough of them catch up, instead of reading on
     * and dropping them into repaints. The source's flow control then slows the program to the pace of the middle
     * client. A minority of slow clients (one slow viewer of two, of a class) never slows the others: they fall
     * behind and are repainted. Pacing to the fastest client instead made a class a repaint storm: each repainted
     * client was "fastest" for a moment, so the reader went on and the rest overflowed in turn (50 readers: 243
     * repaints for 20 MB). Clients that are stalled (no send completed for PACE_MAX_NANOS), waiting for a repaint,
     * or closed do not count, so a stalled client never slows the others or the program.
     *
     * <p>The source's reader is never blocked (it may be a server's event loop, serving other sockets): it is
     * paused, and clients' progress or the timeout resumes it. Called by the reader after each chunk.
     */
    private void paceToMostClients() {
        long now = System.nanoTime();
        if (holding.get() || !mostMovingClientsBehind(now)) return;
        source.pauseOutput(); // first: a resume always follows it
        holdTimeout = PACE_TIMER.schedule(this::endHold, PACE_MAX_NANOS, TimeUnit.NANOSECONDS);
        holding.set(true);
        checkHold(); // clients may have caught up before holding was set
    }

    /** Ends the hold when most moving clients caught up. Any thread. */
    private void checkHold() {
        if (holding.get() && !mostMovingClientsBehind(System.nanoTime())) endHold();
    }

    /**
     * Resumes the source, once per hold. The timeout calls it too: a stale timeout (its hold ended, the cancel
     * raced) ends a later hold early, which the next chunk starts again if the clients are still behind.
     */
    private void endHold() {
        ScheduledFuture<?> timeout = holdTimeout;
        if (holding.compareAndSet(true, false)) {
            timeout.cancel(false);
            source.resumeOutput();
        }
    }

    private static ScheduledThreadPoolExecutor paceTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "berth-terminal-pace");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private boolean mostMovingClientsBehind(long now) {
        long paceBehindBytes = Math.min(PACE_BEHIND_BYTES, settings.clientQueueBytes() / 2);
        int moving = 0, behind = 0;
        for (TerminalClient c : clients) {
            long b = c.pacingBacklog(now, PACE_MAX_NANOS);
            if (b < 0) continue;
            moving++;
            if (b >= paceBehindBytes) behind++;
        }
        return behind * 2 > moving;
    }

    /** A client's send completed (may end a hold of the source). */
    void clientProgressed() {
        if (holding.get()) checkHold();
    }

    private void onOutput(byte[] bytes, int offset, int length, boolean owned) {
        deliver(bytes, offset, length, owned);
        paceToMostClients();
    }

    private void deliver(byte[] bytes, int offset, int length, boolean owned) {
        synchronized (this) {
            byte[] data = clipboardFilter.filter(bytes, offset, length);
            if (data.length == 0) return;
            if (data == bytes && !owned) data = bytes.clone(); // this source may reuse its buffer
            long seq = window.end();
            window.append(data, 0, data.length);
            screen.write(data, 0, data.length);
            lastSnapshot = null;
            if (recorder != null) recorder.output(data);
            SharedOutput out = new SharedOutput(seq, data);
            for (TerminalClient c : clients) c.offerOutput(out);
        }
    }

    private void onExit(int status) {
        List<TerminalClient> toClose;
        synchronized (this) {
            if (exited) return;
            exited = true;
            exitStatus = status;
            stopRecordingLocked();
            broadcastLocked(message("exit", "status", status));
            toClose = List.copyOf(clients);
        }
        // each client first gets the last output and the exit message still queued for it
        for (TerminalClient c : toClose) c.closeWhenDrained(1000, "the program exited with status " + status, EXIT_DRAIN_GRACE);
        for (Consumer<TerminalHub> l : exitListeners) l.accept(this);
    }

    /** Stops the hub: detaches from the source and closes every client. */
    public void close(String reason) {
        List<TerminalClient> toClose;
        synchronized (this) {
            exited = true;
            stopRecordingLocked();
            toClose = List.copyOf(clients);
            clients.clear();
        }
        for (TerminalClient c : toClose) c.close(1001, reason);
        source.close();
    }

    // ------------------------------------------------------------------ clients

    /**
     * Attaches a client. With {@code resumeFrom >= 0} (the next sequence number it needs) and those bytes still in
     * the window, it gets exactly the missing bytes; otherwise a repaint of the current screen. Then the live stream.
     */
    public TerminalClient join(String user, String session, TerminalRole role, int cols, int rows, long resumeFrom, ClientSink sink) {
        TerminalClient c;
        synchronized (this) {
            TerminalRole effective = roleOverrides.getOrDefault(user, role);
            if (role == TerminalRole.OWNER) effective = TerminalRole.OWNER;
            c = new TerminalClient(this, id + "-" + clientCounter.incrementAndGet(), user, session, effective,
                    clamp(cols, screen.cols()), clamp(rows, screen.rows()), sink, settings, clientCounter.get());
            boolean resume = resumeFrom >= 0 && window.holds(resumeFrom);
            c.startAt(resume ? resumeFrom : window.end());
            clients.add(c);
            Map<String, Object> hello = message("hello", "client", c.id());
            hello.put("user", user);
            hello.put("role", effective.wire());
            hello.put("terminal", id);
            hello.put("seq", window.end());
            hello.put("resumed", resume);
            c.offerControl(hello);
            if (resume) {
                c.offerControl(stateLocked());
                byte[] missing = window.copyFrom(resumeFrom);
                if (missing.length > 0) c.offerOutput(new SharedOutput(resumeFrom, missing));
            } else {
                c.requestRepaint();
            }
            if (exited) {
                c.offerControl(message("exit", "status", exitStatus));
            }
            if (activeDriver == null && effective.mayType()) activeDriver = c;
            applySizeLocked();
            broadcastPresenceLocked();
        }
        return c;
    }

    private static int clamp(int v, int def) {
        return v >= 1 && v <= 1000 ? v : def;
    }

    public void leave(TerminalClient c) {
        leave(c, 1000, "left");
    }

    /** Removes a client and closes its connection with {@code code} and {@code reason}. */
    public void leave(TerminalClient c, int code, String reason) {
        synchronized (this) {
            if (!clients.remove(c)) return;
            if (activeDriver == c) activeDriver = pickDriverLocked();
            if (keyboardMode == KeyboardMode.SINGLE && controller != null && clients.stream().noneMatch(o -> o.user().equals(controller))) {
                controller = null; // the controller left: the owner takes it back by typing or taking it
                broadcastLocked(controlStateLocked());
            }
            applySizeLocked();
            broadcastPresenceLocked();
        }
        c.close(code, reason);
    }

    /**
     * The screen as a repaint, built once per screen state: clients that fall behind together (those served by one
     * busy event loop) or join together (a class opening the same terminal) are repainted from one snapshot. The
     * screen changes only through output and resizes, and both drop it.
     */
    private byte[] snapshotLocked() {
        byte[] s = lastSnapshot;
        if (s == null) {
            s = screen.snapshot();
            lastSnapshot = s;
        }
        return s;
    }

    /** Called by a client whose queue overflowed, once its outstanding send completed: repaint it. */
    void repaint(TerminalClient c) {
        byte[] snap;
        long seq;
        int cols, rows;
        synchronized (this) {
            seq = window.end();
            if (!c.beginRepaint(seq)) return;
            snap = snapshotLocked();
            cols = screen.cols();
            rows = screen.rows();
            c.offerControl(stateLocked());
        }
        c.sendSnapshot(seq, cols, rows, snap);
    }

    // ------------------------------------------------------------------ input

    /** Outcome of an input attempt; the adapter reports rejections to the client. */
    public enum InputResult { ACCEPTED, READ_ONLY, NOT_IN_CONTROL, IGNORED_RESPONSE, EXITED }

    /**
     * Input from a client: typed keys ({@code paste == false}) or a paste (wrapped in bracketed-paste markers
     * when the program asked for them; markers inside the paste are removed so it cannot break out).
     */
    public InputResult input(TerminalClient c, byte[] data, boolean paste) {
        byte[] toWrite;
        synchronized (this) {
            if (exited) return InputResult.EXITED;
            TerminalRole role = c.role;
            if (!role.mayType()) {
                rejectLocked(c, "read-only", "you are viewing this terminal: ask its owner to let you drive");
                return InputResult.READ_ONLY;
            }
            boolean response = !paste && QueryResponses.isResponse(data);
            if (response) {
                // only the active driver's terminal answers the program's queries
                return c == activeDriver ? write(c, data) : InputResult.IGNORED_RESPONSE;
            }
            if (keyboardMode == KeyboardMode.SINGLE && !c.user().equals(controller)) {
                rejectLocked(c, "not-in-control", controller == null
                        ? "single-driver mode: take or request control to type"
                        : "single-driver mode: " + controller + " has control; request it to type");
                return InputResult.NOT_IN_CONTROL;
            }
            toWrite = paste ? bracketPaste(data, screen.bracketedPaste()) : data;
            c.lastInputNanos = System.nanoTime();
            if (activeDriver != c) {
                activeDriver = c;
                applySizeLocked();
            }
            if (recorder != null) recorder.input(c.user(), toWrite);
            long now = System.nanoTime();
            Long last = lastTypingNotice.get(c.user());
            if (last == null || now - last > TYPING_NOTICE_NANOS) {
                lastTypingNotice.put(c.user(), now);
                broadcastLocked(message("typing", "user", c.user()));
            }
        }
        return write(c, toWrite);
    }

    private InputResult write(TerminalClient c, byte[] data) {
        source.inputArrives(); // the echo is then read on the typist's event loop, when the source reads on loops
        try {
            source.write(data);
            return InputResult.ACCEPTED;
        } catch (IOException e) {
            synchronized (this) {
                rejectLocked(c, "write-failed", "could not send input to terminal " + id + ": " + e.getMessage());
            }
            return InputResult.EXITED;
        }
    }

    static byte[] bracketPaste(byte[] data, boolean bracketed) {
        byte[] clean = removeSequence(removeSequence(data, PASTE_START), PASTE_END);
        if (!bracketed) return clean;
        byte[] out = new byte[clean.length + PASTE_START.length + PASTE_END.length];
        System.arraycopy(PASTE_START, 0, out, 0, PASTE_START.length);
        System.arraycopy(clean, 0, out, PASTE_START.length, clean.length);
        System.arraycopy(PASTE_END, 0, out, PASTE_START.length + clean.length, PASTE_END.length);
        return out;
    }

    private static byte[] removeSequence(byte[] data, byte[] seq) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length);
        outer:
        for (int i = 0; i < data.length; i++) {
            if (i + seq.length <= data.length) {
                for (int j = 0; j < seq.length; j++) if (data[i + j] != seq[j]) {
                    out.write(data[i]);
                    continue outer;
                }
                i += seq.length - 1;
                continue;
            }
            out.write(data[i]);
        }
        return out.toByteArray();
    }

    private void rejectLocked(TerminalClient c, String code, String text) {
        long now = System.nanoTime();
        if (now - c.lastErrorNanos < ERROR_NOTICE_NANOS && c.lastErrorNanos != 0) return;
        c.lastErrorNanos = now;
        c.offerControl(error(code, text));
    }

    /** Tells one client about a problem with its request. */
    public void error(TerminalClient c, String code, String text) {
        c.offerControl(error(code, text));
    }

    private static Map<String, Object> error(String code, String text) {
        Map<String, Object> m = message("error", "code", code);
        m.put("message", text);
        return m;
    }

    // ------------------------------------------------------------------ resize

    /** A client's window size changed. The PTY follows the policy; others are told the PTY's size. */
    public void resize(TerminalClient c, int cols, int rows) {
        if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
            error(c, "bad-size", "window size " + cols + "x" + rows + " is out of range 1..1000");
            return;
        }
        synchronized (this) {
            c.cols = cols;
            c.rows = rows;
            applySizeLocked();
        }
    }

    public void setResizePolicy(TerminalClient by, ResizePolicy policy) {
        synchronized (this) {
            if (by.role != TerminalRole.OWNER) {
                rejectLocked(by, "forbidden", "only the terminal's owner can change the resize policy");
                return;
            }
            resizePolicy = policy;
            applySizeLocked();
            broadcastPresenceLocked();
        }
    }

    private TerminalClient pickDriverLocked() {
        TerminalClient best = null;
        for (TerminalClient c : clients) {
            if (!c.role.mayType()) continue;
            if (keyboardMode == KeyboardMode.SINGLE && controller != null && !c.user().equals(controller)) continue;
            if (best == null || c.lastInputNanos > best.lastInputNanos
                    || (c.lastInputNanos == best.lastInputNanos && c.joinedOrder < best.joinedOrder)) best = c;
        }
        return best;
    }

    private void applySizeLocked() {
        int cols, rows;
        if (resizePolicy == ResizePolicy.SMALLEST) {
            if (clients.isEmpty()) return;
            cols = Integer.MAX_VALUE;
            rows = Integer.MAX_VALUE;
            for (TerminalClient c : clients) {
                cols = Math.min(cols, c.cols);
                rows = Math.min(rows, c.rows);
            }
        } else {
            if (activeDriver == null || !clients.contains(activeDriver)) activeDriver = pickDriverLocked();
            if (activeDriver == null) return; // nobody drives: keep the size
            cols = activeDriver.cols;
            rows = activeDriver.rows;
        }
        if (cols == screen.cols() && rows == screen.rows()) return;
        try {
            source.resize(cols, rows);
        } catch (IOException e) {
            LOG.log(Level.FINE, "resize of terminal " + id + " failed", e);
            return;
        }
        screen.resize(cols, rows);
        lastSnapshot = null;
        if (recorder != null) recorder.resize(cols, rows);
        Map<String, Object> m = message("size", "cols", cols);
        m.put("rows", rows);
        m.put("seq", window.end());
        broadcastLocked(m);
    }

    // ------------------------------------------------------------------ control

    /** Owner: switch between shared typing and single-driver mode. Entering single mode, the owner has control. */
    public void setKeyboardMode(TerminalClient by, KeyboardMode mode) {
        synchronized (this) {
            if (by.role != TerminalRole.OWNER) {
                rejectLocked(by, "forbidden", "only the terminal's owner can change the keyboard mode");
                return;
            }
            keyboardMode = mode;
            controller = mode == KeyboardMode.SINGLE ? by.user() : null;
            if (mode == KeyboardMode.SINGLE) activeDriver = by;
            applySizeLocked();
            broadcastLocked(controlStateLocked());
        }
    }

    /** A driver asks for control; the owners and the current controller are asked. */
    public void requestControl(TerminalClient by) {
        synchronized (this) {
            if (!by.role.mayType()) {
                rejectLocked(by, "read-only", "viewers cannot take control: ask the owner to make you a driver");
                return;
            }
            if (keyboardMode == KeyboardMode.SHARED || by.user().equals(controller)) return;
            if (controller == null && by.role == TerminalRole.OWNER) {
                grantLocked(by.user());
                return;
            }
            Map<String, Object> m = message("control-request", "user", by.user());
            for (TerminalClient c : clients) {
                if (c.role == TerminalRole.OWNER || c.user().equals(controller)) c.offerControl(m);
            }
        }
    }

    /** The owner or the current controller hands control to {@code user} (who must be able to type). */
    public void grantControl(TerminalClient by, String user) {
        synchronized (this) {
            if (keyboardMode != KeyboardMode.SINGLE) {
                rejectLocked(by, "bad-request", "control is only handed over in single-driver mode");
                return;
            }
            if (by.role != TerminalRole.OWNER && !by.user().equals(controller)) {
                rejectLocked(by, "forbidden", "only the owner or whoever has control can hand it over");
                return;
            }
            boolean mayType = clients.stream().anyMatch(c -> c.user().equals(user) && c.role.mayType());
            if (!mayType) {
                rejectLocked(by, "bad-request", user + " is not attached as a driver");
                return;
            }
            grantLocked(user);
        }
    }

    /** The owner takes control back. */
    public void takeBack(TerminalClient by) {
        synchronized (this) {
            if (by.role != TerminalRole.OWNER) {
                rejectLocked(by, "forbidden", "only the terminal's owner can take control back");
                return;
            }
            if (keyboardMode != KeyboardMode.SINGLE) {
                rejectLocked(by, "bad-request", "there is nothing to take back in shared keyboard mode");
                return;
            }
            grantLocked(by.user());
            activeDriver = by;
            applySizeLocked();
        }
    }

    private void grantLocked(String user) {
        controller = user;
        activeDriver = null;
        activeDriver = pickDriverLocked();
        applySizeLocked();
        broadcastLocked(controlStateLocked());
    }

    /** Owner: change what another person may do (applies to all their connections, and when they reconnect). */
    public void setRole(TerminalClient by, String user, TerminalRole role) {
        synchronized (this) {
            if (by.role != TerminalRole.OWNER) {
                rejectLocked(by, "forbidden", "only the terminal's owner can change roles");
                return;
            }
            if (role == TerminalRole.OWNER) {
                rejectLocked(by, "bad-request", "ownership is not handed over here: make " + user + " a driver");
                return;
            }
            roleOverrides.put(user, role);
            for (TerminalClient c : clients) {
                if (c.user().equals(user) && c.role != TerminalRole.OWNER) {
                    c.role = role;
                    if (activeDriver == c && !role.mayType()) activeDriver = null;
                }
            }
            if (role == TerminalRole.VIEWER && user.equals(controller)) controller = by.user();
            applySizeLocked();
            broadcastLocked(controlStateLocked());
            broadcastPresenceLocked();
        }
    }

    private Map<String, Object> controlStateLocked() {
        Map<String, Object> m = message("control", "mode", keyboardMode.wire());
        m.put("controller", controller);
        return m;
    }

    private Map<String, Object> presenceLocked() {
        Map<String, Object> m = message("presence", "terminal", id);
        long now = System.nanoTime();
        List<Map<String, Object>> list = new ArrayList<>();
        for (TerminalClient c : clients) {
            list.add(c.describe(c.lastInputNanos != 0 && now - c.lastInputNanos < TimeUnit.SECONDS.toNanos(2)));
        }
        m.put("clients", list);
        m.put("driver", activeDriver == null ? null : activeDriver.id());
        m.put("policy", resizePolicy.wire());
        return m;
    }

    /** Everything a client needs to know after a repaint or a resume: size, control and presence. */
    private Map<String, Object> stateLocked() {
        Map<String, Object> m = message("state", "cols", screen.cols());
        m.put("rows", screen.rows());
        m.put("mode", keyboardMode.wire());
        m.put("controller", controller);
        m.put("policy", resizePolicy.wire());
        m.put("recording", recorder != null);
        m.put("presence", presenceLocked().get("clients"));
        return m;
    }

    private void broadcastPresenceLocked() {
        broadcastLocked(presenceLocked());
    }

    private void broadcastLocked(Map<String, Object> m) {
        for (TerminalClient c : clients) c.offerControl(m);
    }

    static Map<String, Object> message(String type, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put(key, value);
        return m;
    }

    // ------------------------------------------------------------------ recording

    /** Starts recording to {@code recorder} (asciicast v2); the current screen is its first frame. */
    public void startRecording(AsciicastRecorder rec) throws IOException {
        synchronized (this) {
            if (recorder != null) throw new IllegalStateException("terminal " + id + " is already being recorded");
            rec.begin(screen.cols(), screen.rows(), snapshotLocked());
            recorder = rec;
            broadcastLocked(message("recording", "active", true));
        }
    }

    public synchronized boolean recording() {
        return recorder != null;
    }

    public synchronized Optional<AsciicastRecorder> recorder() {
        return Optional.ofNullable(recorder);
    }

    public void stopRecording() {
        synchronized (this) {
            stopRecordingLocked();
        }
    }

    private void stopRecordingLocked() {
        if (recorder == null) return;
        recorder.close();
        recorder = null;
        broadcastLocked(message("recording", "active", false));
    }
}
