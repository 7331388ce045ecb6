/**
 * A minimal live terminal for a guest: xterm.js on /ws/terminals/{id} (protocol: docs/terminal-protocol.md).
 * The full terminal page (features/terminals) replaces it once merged; this keeps the join flow self-contained.
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../../ui/components';

const OUTPUT = 0x01;
const REPAINT = 0x02;

/** What a close code means for a guest, in words. */
export function closeMessage(code: number, reason: string): string {
  switch (code) {
    case 4403:
      return 'The person who shared this terminal revoked your access. Ask them for a new link if you need it again.';
    case 4401:
      return 'Your guest session ended. Open the share link again to rejoin.';
    case 4404:
      return 'This terminal is gone or no longer shared with you.';
    case 1000:
      return 'The terminal ended: its program exited.';
    default:
      return `The connection to the terminal closed${reason ? ` (${reason})` : ''}. Reload the page to reconnect.`;
  }
}

function socketUrl(terminalId: string, cols: number, rows: number): string {
  const url = new URL(`ws/terminals/${encodeURIComponent(terminalId)}?cols=${cols}&rows=${rows}`, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function GuestTerminal({ terminalId, onRole }: { terminalId: string; onRole?: (role: string) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const term = new Terminal({ cols: 80, rows: 24, scrollback: 1000, convertEol: false, fontSize: 14 });
    term.open(host.current!);
    const encoder = new TextEncoder();
    let role = 'viewer';
    const ws = new WebSocket(socketUrl(terminalId, term.cols, term.rows));
    ws.binaryType = 'arraybuffer';

    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        const m = JSON.parse(event.data);
        if (m.type === 'hello') {
          role = m.role;
          onRole?.(m.role);
        } else if ((m.type === 'size' || m.type === 'state') && m.cols && m.rows) {
          term.resize(m.cols, m.rows);
        } else if (m.type === 'error') {
          setNotice(m.code === 'read-only' ? 'You are watching: this link does not let you type.' : m.message);
        }
        return;
      }
      const data = new DataView(event.data as ArrayBuffer);
      const type = data.getUint8(0);
      if (type === OUTPUT) {
        term.write(new Uint8Array(event.data, 9));
      } else if (type === REPAINT) {
        const cols = data.getUint16(9);
        const rows = data.getUint16(11);
        term.reset();
        term.resize(cols, rows);
        term.write(new Uint8Array(event.data, 13));
      }
    };
    ws.onclose = (event) => setEnded(closeMessage(event.code, event.reason));

    const input = term.onData((text) => {
      if (role === 'viewer' || ws.readyState !== WebSocket.OPEN) return;
      const bytes = encoder.encode(text);
      const frame = new Uint8Array(bytes.length + 1);
      frame[0] = 0x00;
      frame.set(bytes, 1);
      ws.send(frame);
    });
    term.focus();
    return () => {
      input.dispose();
      ws.close(1000, 'left');
      term.dispose();
    };
  }, [terminalId]);

  return (
    <div class="guest-terminal">
      {ended && (
        <div data-testid="terminal-ended">
          <Alert kind="warning" title="Disconnected">{ended}</Alert>
        </div>
      )}
      {notice && !ended && <p class="muted" role="status">{notice}</p>}
      <div class="guest-terminal-screen" ref={host} data-testid="guest-terminal" aria-label="Shared terminal" />
    </div>
  );
}
