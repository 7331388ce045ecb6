/**
 * One browser's connection to one shared terminal (docs/terminal-protocol.md): the WebSocket, the output sequence
 * number, resume after a drop, and the shared state (presence, control, recording) the server tells us about.
 *
 * Output goes to a {@link TerminalSink} (the xterm.js of a TerminalView); everything else is kept in
 * {@link SessionState} for the screen around it. Reconnects use `resume=<next sequence number>`, so after a drop
 * the server sends exactly the bytes we missed (or a repaint when they are no longer in its window): nothing is
 * lost and nothing is written twice.
 */

export type TerminalRole = 'owner' | 'driver' | 'viewer';
export type KeyboardMode = 'shared' | 'single';
export type ResizePolicy = 'driver' | 'smallest';

export type PresenceClient = { id: string; user: string; role: TerminalRole; cols: number; rows: number; typing?: boolean };

export type ConnectionStatus =
  | 'connecting'
  | 'live'
  | 'reconnecting'
  | 'exited'
  | 'ended' // our login session ended (4401)
  | 'revoked' // access to the terminal was revoked (4403)
  | 'not-found'; // no such terminal, or not shared with us (4404)

export type Hint = { code: string; message: string; at: number };

export type SessionState = {
  status: ConnectionStatus;
  /** Reconnect attempts since the last drop, and when the next one happens (ms epoch). */
  attempt: number;
  retryAt: number | null;
  clientId: string | null;
  user: string | null;
  role: TerminalRole | null;
  cols: number;
  rows: number;
  mode: KeyboardMode;
  controller: string | null;
  policy: ResizePolicy;
  recording: boolean;
  presence: PresenceClient[];
  driver: string | null;
  /** user → when their input last reached the PTY (ms epoch). */
  typing: Record<string, number>;
  /** Users asking for control (shown to owners and the controller). */
  controlRequests: string[];
  /** The last refusal or error the server sent (read-only, not-in-control, forbidden…), or a local hint. */
  hint: Hint | null;
  exitStatus: number | null;
  resumed: boolean | null;
  closeReason: string | null;
};

/** Where output goes: a TerminalView's xterm.js. */
export interface TerminalSink {
  output(bytes: Uint8Array): void;
  repaint(cols: number, rows: number, bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
}

const OUT_OUTPUT = 0x01;
const OUT_REPAINT = 0x02;
const IN_KEYS = 0x00;
const IN_PASTE = 0x01;
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
const encoder = new TextEncoder();

function initialState(): SessionState {
  return {
    status: 'connecting', attempt: 0, retryAt: null, clientId: null, user: null, role: null, cols: 80, rows: 24,
    mode: 'shared', controller: null, policy: 'driver', recording: false, presence: [], driver: null, typing: {},
    controlRequests: [], hint: null, exitStatus: null, resumed: null, closeReason: null,
  };
}

export class TerminalSession {
  readonly terminalId: string;
  private socket: WebSocket | null = null;
  private sink: TerminalSink | null = null;
  /** Output that arrived before a sink was attached (a view mounts right after the session starts). */
  private pending: Array<{ kind: 'output' | 'repaint' | 'resize'; cols?: number; rows?: number; bytes?: Uint8Array }> = [];
  private nextSeq = -1;
  private retryTimer: number | null = null;
  private disposed = false;
  private listeners = new Set<(state: SessionState) => void>();
  private wantedSize: { cols: number; rows: number } = { cols: 80, rows: 24 };
  private lastSentSize: { cols: number; rows: number } | null = null;
  state: SessionState = initialState();

  /**
   * joinAsViewer: join read-only whatever one may do (a trainer's thumbnails). keepPtySize: connect with 0x0 and never
   * ask for a size, so this browser never changes the PTY's size (a trainer taking control of an attendee's terminal).
   */
  constructor(terminalId: string, options: { joinAsViewer?: boolean; keepPtySize?: boolean } = {}) {
    this.terminalId = terminalId;
    this.joinAsViewer = !!options.joinAsViewer;
    this.keepPtySize = !!options.keepPtySize;
    window.addEventListener('online', this.reconnectNow);
  }
  private readonly joinAsViewer: boolean;
  private readonly keepPtySize: boolean;

  /**
   * A passive session (read-only thumbnails) never asks the PTY to change size: it connects with the terminal's
   * current size and sends no resize, so a small thumbnail of a driver can't shrink everyone's terminal.
   */
  passive = false;

  /** Opens the socket (once); later drops reconnect by themselves. */
  start(cols: number, rows: number): void {
    if (this.started || this.disposed) return;
    this.started = true;
    this.wantedSize = { cols, rows };
    if (!this.passive || this.keepPtySize) {
      this.connect();
      return;
    }
    fetch(`api/terminals/${encodeURIComponent(this.terminalId)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then((response) => (response.ok ? response.json() : null))
      .then((info: { cols?: number; rows?: number } | null) => {
        if (info?.cols && info?.rows) this.wantedSize = { cols: info.cols, rows: info.rows };
      })
      .catch(() => undefined)
      .finally(() => {
        if (!this.disposed && !this.socket) this.connect();
      });
  }
  private started = false;

  attach(sink: TerminalSink | null): void {
    this.sink = sink;
    if (sink) {
      for (const p of this.pending) {
        if (p.kind === 'output') sink.output(p.bytes!);
        else if (p.kind === 'repaint') sink.repaint(p.cols!, p.rows!, p.bytes!);
        else sink.resize(p.cols!, p.rows!);
      }
      this.pending = [];
    }
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('online', this.reconnectNow);
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, 'closed by the user');
    this.listeners.clear();
  }

  /** Can our keystrokes reach the PTY right now (as far as we know)? */
  mayType(): boolean {
    const s = this.state;
    if (s.status !== 'live' || !s.role || s.role === 'viewer') return false;
    return s.mode === 'shared' || s.controller === s.user;
  }

  /** Keystrokes (and xterm.js's automatic answers to the program's queries). */
  keys(data: string): void {
    this.sendBinary(IN_KEYS, data);
  }

  /** A paste: the server brackets it when the program asked for bracketed paste. */
  paste(text: string): void {
    // as a terminal would: line ends become carriage returns
    this.sendBinary(IN_PASTE, text.replace(/\r?\n/g, '\r'));
  }

  /** Our viewport fits cols x rows; the PTY follows per the resize policy. */
  resize(cols: number, rows: number): void {
    if (this.passive || this.keepPtySize) return;
    this.wantedSize = { cols, rows };
    if (this.lastSentSize && this.lastSentSize.cols === cols && this.lastSentSize.rows === rows) return;
    if (this.send({ type: 'resize', cols, rows })) this.lastSentSize = { cols, rows };
  }

  requestControl(): void { this.send({ type: 'request-control' }); }
  grant(user: string): void {
    this.send({ type: 'grant', user });
    this.update({ controlRequests: this.state.controlRequests.filter((u) => u !== user) });
  }
  takeBack(): void { this.send({ type: 'take-back' }); }
  setKeyboardMode(mode: KeyboardMode): void { this.send({ type: 'keyboard-mode', mode }); }
  setRole(user: string, role: 'driver' | 'viewer'): void { this.send({ type: 'set-role', user, role }); }
  setResizePolicy(policy: ResizePolicy): void { this.send({ type: 'resize-policy', policy }); }
  dismissRequest(user: string): void { this.update({ controlRequests: this.state.controlRequests.filter((u) => u !== user) }); }

  /** Shows a hint next to the terminal (e.g. "you are watching") without asking the server. */
  hint(code: string, message: string): void {
    this.update({ hint: { code, message, at: Date.now() } });
  }
  clearHint(): void { this.update({ hint: null }); }

  /** Retries at once (the "Reconnect now" button, or the browser coming back online). */
  reconnectNow = (): void => {
    if (this.disposed || this.state.status !== 'reconnecting') return;
    if (this.retryTimer !== null) window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  };

  private connect(): void {
    const url = new URL(`ws/terminals/${encodeURIComponent(this.terminalId)}`, document.baseURI);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('cols', String(this.keepPtySize ? 0 : this.wantedSize.cols));
    url.searchParams.set('rows', String(this.keepPtySize ? 0 : this.wantedSize.rows));
    if (this.joinAsViewer) url.searchParams.set('as', 'viewer');
    if (this.nextSeq >= 0) url.searchParams.set('resume', String(this.nextSeq));
    let socket: WebSocket;
    try {
      socket = new WebSocket(url.toString());
    } catch {
      this.scheduleRetry();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.lastSentSize = { ...this.wantedSize };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      if (typeof event.data === 'string') this.control(event.data);
      else this.frame(new Uint8Array(event.data as ArrayBuffer));
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.closed(event.code, event.reason);
    };
  }

  private closed(code: number, reason: string): void {
    if (this.disposed) return;
    if (this.state.status === 'exited') return;
    const exited = code === 1000 ? /program exited with status (-?\d+)/.exec(reason ?? '') : null;
    if (exited) {
      // the program ended; its "exit" message may not have made it before the close
      this.update({ status: 'exited', exitStatus: Number(exited[1]) });
    } else if (code === 4401) this.update({ status: 'ended', closeReason: reason || 'your session ended' });
    else if (code === 4403) this.update({ status: 'revoked', closeReason: reason || 'your access to this terminal was revoked' });
    else if (code === 4404 || this.state.status === 'not-found') this.update({ status: 'not-found', closeReason: reason || 'no such terminal' });
    else this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const attempt = this.state.status === 'reconnecting' ? this.state.attempt + 1 : 1;
    const delay = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)];
    this.update({ status: 'reconnecting', attempt, retryAt: Date.now() + delay });
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      if (!this.disposed) this.connect();
    }, delay);
  }

  private frame(data: Uint8Array): void {
    if (data.length < 9) return;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const kind = data[0];
    const seq = Number(view.getBigInt64(1));
    if (kind === OUT_OUTPUT) {
      let bytes = data.subarray(9);
      if (this.nextSeq >= 0 && seq < this.nextSeq) {
        // already written (a resume that overlaps): keep only the new part
        const skip = this.nextSeq - seq;
        if (skip >= bytes.length) return;
        bytes = bytes.subarray(skip);
      }
      this.nextSeq = Math.max(this.nextSeq, seq) + bytes.length;
      this.emit({ kind: 'output', bytes });
    } else if (kind === OUT_REPAINT && data.length >= 13) {
      const cols = view.getUint16(9);
      const rows = view.getUint16(11);
      this.nextSeq = seq;
      this.update({ cols, rows });
      this.emit({ kind: 'repaint', cols, rows, bytes: data.subarray(13) });
    }
  }

  private emit(item: { kind: 'output' | 'repaint' | 'resize'; cols?: number; rows?: number; bytes?: Uint8Array }): void {
    const sink = this.sink;
    if (!sink) {
      if (item.kind === 'repaint') this.pending = [];
      this.pending.push(item.bytes ? { ...item, bytes: item.bytes.slice() } : item);
      return;
    }
    if (item.kind === 'output') sink.output(item.bytes!);
    else if (item.kind === 'repaint') sink.repaint(item.cols!, item.rows!, item.bytes!);
    else sink.resize(item.cols!, item.rows!);
  }

  private control(text: string): void {
    let m: Record<string, any>;
    try {
      m = JSON.parse(text);
    } catch {
      return;
    }
    switch (m.type) {
      case 'hello':
        this.update({
          status: 'live', attempt: 0, retryAt: null, clientId: m.client, user: m.user, role: m.role,
          resumed: !!m.resumed, closeReason: null,
        });
        // the size we asked for when connecting may be stale by now
        this.lastSentSize = null;
        this.resize(this.wantedSize.cols, this.wantedSize.rows);
        break;
      case 'state':
        if (this.passive) this.wantedSize = { cols: m.cols, rows: m.rows };
        this.update({
          cols: m.cols, rows: m.rows, mode: m.mode, controller: m.controller ?? null, policy: m.policy,
          recording: !!m.recording, ...(Array.isArray(m.presence) ? this.presence(m.presence) : {}),
        });
        break;
      case 'size':
        if (this.passive) this.wantedSize = { cols: m.cols, rows: m.rows };
        this.update({ cols: m.cols, rows: m.rows });
        this.emit({ kind: 'resize', cols: m.cols, rows: m.rows });
        break;
      case 'presence':
        this.update({ ...this.presence(m.clients ?? []), driver: m.driver ?? null, policy: m.policy ?? this.state.policy });
        break;
      case 'typing':
        this.update({ typing: { ...this.state.typing, [m.user]: Date.now() } });
        break;
      case 'control':
        this.update({
          mode: m.mode, controller: m.controller ?? null,
          controlRequests: this.state.controlRequests.filter((u) => u !== m.controller),
          hint: this.state.hint?.code === 'not-in-control' ? null : this.state.hint,
        });
        break;
      case 'control-request':
        if (!this.state.controlRequests.includes(m.user)) this.update({ controlRequests: [...this.state.controlRequests, m.user] });
        break;
      case 'recording':
        this.update({ recording: !!m.active });
        break;
      case 'exit':
        this.update({ status: 'exited', exitStatus: typeof m.status === 'number' ? m.status : null });
        break;
      case 'error':
        if (m.code === 'not-found') this.update({ status: 'not-found', closeReason: m.message });
        else this.hint(m.code, m.message);
        break;
    }
  }

  /** Presence lists connections; our own role follows what the owner set for us. */
  private presence(clients: PresenceClient[]): Partial<SessionState> {
    const me = clients.find((c) => c.id === this.state.clientId);
    const role = me ? me.role : this.state.role;
    const hint = this.state.hint?.code === 'read-only' && role !== 'viewer' ? null : this.state.hint;
    return { presence: clients, role, hint };
  }

  private sendBinary(kind: number, text: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || !text) return false;
    const bytes = encoder.encode(text);
    const frame = new Uint8Array(bytes.length + 1);
    frame[0] = kind;
    frame.set(bytes, 1);
    socket.send(frame);
    return true;
  }

  private send(message: object): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  private update(changes: Partial<SessionState>): void {
    this.state = { ...this.state, ...changes };
    this.listeners.forEach((listener) => listener(this.state));
  }
}
