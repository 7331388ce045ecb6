/**
 * A terminal on Berth's terminal WebSocket (docs/terminal-protocol.md), small enough for a grid of thumbnails.
 *
 * - mode "watch": joins as a viewer (?as=viewer), never sends input, keeps the PTY's size.
 * - mode "control": joins with the caller's role (the trainer owns attendee terminals) and types, but still keeps
 *   the PTY's size (cols=0&rows=0): taking control never reflows the attendee's screen.
 * - mode "own": the person's own terminal; fills its box and the PTY follows it.
 * The screen is scaled to fit the box's width when it is "watch" or "control".
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { effectiveTheme } from '../../lib/theme';

export type PaneMode = 'watch' | 'control' | 'own';
export type PaneStatus = 'connecting' | 'live' | 'ended' | 'error';

type Props = {
  terminalId: string;
  mode: PaneMode;
  fontSize?: number;
  /** Focus the terminal when it opens (control and own modes). */
  autoFocus?: boolean;
  label: string;
  testId?: string;
  onStatus?: (status: PaneStatus, message?: string) => void;
};

const OUTPUT = 0x01;
const REPAINT = 0x02;

function socketUrl(terminalId: string, query: string): string {
  const url = new URL(`ws/terminals/${encodeURIComponent(terminalId)}?${query}`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function themeColors() {
  return effectiveTheme() === 'dark'
    ? { background: '#0b1016', foreground: '#d8dee9', cursor: '#d8dee9', selectionBackground: '#2f4a6e' }
    : { background: '#101722', foreground: '#e6edf3', cursor: '#e6edf3', selectionBackground: '#2f4a6e' };
}

export function TerminalPane({ terminalId, mode, fontSize = 13, autoFocus, label, testId, onStatus }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const innerRef = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(1);
  const [height, setHeight] = useState<number | undefined>(undefined);

  useEffect(() => {
    const box = boxRef.current!;
    const inner = innerRef.current!;
    const term = new Terminal({
      fontSize,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      scrollback: mode === 'watch' ? 200 : 1000,
      cursorBlink: mode !== 'watch',
      disableStdin: mode === 'watch',
      theme: themeColors(),
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(inner);
    // a thumbnail is one button; its hidden input area must not be a tab stop of its own
    if (mode === 'watch' && term.textarea) term.textarea.tabIndex = -1;
    let closed = false;
    let ws: WebSocket | null = null;
    const encoder = new TextEncoder();

    const rescale = () => {
      if (mode === 'own') return;
      const screen = inner.querySelector('.xterm-screen') as HTMLElement | null;
      const width = screen?.offsetWidth ?? inner.scrollWidth;
      const h = screen?.offsetHeight ?? inner.scrollHeight;
      if (!width || !h) return;
      const s = Math.min(1.25, box.clientWidth / width);
      setScale(s);
      setHeight(Math.ceil(h * s));
    };

    // the renderer measures its font asynchronously: fit again once it can (and whenever the box changes)
    const fitNow = () => {
      if (mode !== 'own' || closed) return;
      try {
        fit.fit();
      } catch {
        // hidden or not measured yet
      }
    };
    let query: string;
    if (mode === 'own') {
      fitNow();
      query = `cols=${term.cols}&rows=${term.rows}`;
    } else {
      query = `cols=0&rows=0${mode === 'watch' ? '&as=viewer' : ''}`;
    }

    const connect = () => {
      onStatus?.('connecting');
      ws = new WebSocket(socketUrl(terminalId, query));
      ws.binaryType = 'arraybuffer';
      ws.onmessage = (event) => {
        if (typeof event.data === 'string') {
          const message = JSON.parse(event.data);
          if (message.type === 'hello') {
            onStatus?.('live');
            fitNow();
          }
          else if (message.type === 'size' && mode !== 'own') {
            term.resize(message.cols, message.rows);
            requestAnimationFrame(rescale);
          } else if (message.type === 'exit') onStatus?.('ended', `The program ended (status ${message.status}).`);
          else if (message.type === 'error' && (message.code === 'not-found')) onStatus?.('error', message.message);
          return;
        }
        const data = new DataView(event.data as ArrayBuffer);
        const kind = data.getUint8(0);
        if (kind === OUTPUT) {
          term.write(new Uint8Array(event.data as ArrayBuffer, 9));
        } else if (kind === REPAINT) {
          const cols = data.getUint16(9);
          const rows = data.getUint16(11);
          term.reset();
          if (mode !== 'own') term.resize(cols, rows);
          term.write(new Uint8Array(event.data as ArrayBuffer, 13), () => requestAnimationFrame(rescale));
        }
      };
      ws.onclose = (event) => {
        if (closed) return;
        if (event.code === 4404) onStatus?.('error', 'This terminal is gone or not shared with you.');
        else if (event.code === 1000) onStatus?.('ended', 'The terminal ended.');
        else onStatus?.('error', `The connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''}).`);
      };
    };
    connect();

    const input = term.onData((text) => {
      if (mode === 'watch' || !ws || ws.readyState !== WebSocket.OPEN) return;
      const bytes = encoder.encode(text);
      const frame = new Uint8Array(bytes.length + 1);
      frame[0] = 0x00;
      frame.set(bytes, 1);
      ws.send(frame);
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (mode === 'own' && ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols, rows }));
    });
    const observer = new ResizeObserver(() => (mode === 'own' ? fitNow() : rescale()));
    const refit = window.setTimeout(fitNow, 150);
    observer.observe(box);
    if (autoFocus && mode !== 'watch') term.focus();

    return () => {
      closed = true;
      window.clearTimeout(refit);
      observer.disconnect();
      input.dispose();
      resize.dispose();
      ws?.close(1000, 'closed');
      term.dispose();
    };
  }, [terminalId, mode]);

  return (
    <div ref={boxRef} class={`term-pane term-pane-${mode}`} data-testid={testId} aria-label={label} role="region"
      style={mode === 'own' ? undefined : { height }}>
      <div ref={innerRef} class="term-pane-inner"
        style={mode === 'own' ? undefined : { transform: `scale(${scale})`, transformOrigin: 'top left', width: 'max-content' }} />
    </div>
  );
}
