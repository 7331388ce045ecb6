/**
 * A terminal on Berth's terminal WebSocket (docs/terminal-protocol.md), small enough for a grid of thumbnails.
 *
 * - mode "watch": joins as a viewer (?as=viewer), never sends input, keeps the PTY's size.
 * - mode "control": joins with the caller's role (the trainer owns attendee terminals) and types, but still keeps
 *   the PTY's size (cols=0&rows=0): taking control never reflows the attendee's screen.
 * - mode "own": the person's own terminal; fills its box and the PTY follows it.
 * The screen is scaled to fit the box's width when it is "watch" or "control". The connection is a
 * {@link TerminalSession}: after a drop it reconnects and resumes from the last byte, nothing lost or doubled.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { effectiveTheme } from '../../lib/theme';
import { TerminalSession } from '../terminals/terminalSession';

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
    // the shared terminal client: reconnects after a drop and resumes from the last byte written, like TerminalView
    const session = new TerminalSession(terminalId, { joinAsViewer: mode === 'watch', keepPtySize: mode !== 'own' });
    session.attach({
      output: (bytes) => term.write(bytes),
      repaint: (cols, rows, bytes) => {
        term.reset();
        if (mode !== 'own') term.resize(cols, rows);
        term.write(bytes, () => requestAnimationFrame(rescale));
      },
      resize: (cols, rows) => {
        if (mode === 'own') return;
        term.resize(cols, rows);
        requestAnimationFrame(rescale);
      },
    });
    let reported: string | null = null;
    /** Tells the page about a change of status; false when nothing changed. */
    const report = (status: PaneStatus, message?: string): boolean => {
      const key = `${status}:${message ?? ''}`;
      if (key === reported) return false;
      reported = key;
      onStatus?.(status, message);
      return true;
    };
    const unsubscribe = session.subscribe((state) => {
      if (state.status === 'live') {
        if (report('live')) fitNow();
      } else if (state.status === 'connecting') report('connecting');
      else if (state.status === 'reconnecting') report('connecting', 'The connection dropped; reconnecting. The screen catches up as soon as it is back.');
      else if (state.status === 'exited') report('ended', state.exitStatus === null ? 'The terminal ended.' : `The program ended (status ${state.exitStatus}).`);
      else if (state.status === 'not-found') report('error', 'This terminal is gone or not shared with you.');
      else report('error', `The connection closed: ${state.closeReason ?? 'your session ended'}.`);
    });
    if (mode === 'own') fitNow();
    report('connecting');
    session.start(term.cols, term.rows);

    const input = term.onData((text) => {
      if (mode !== 'watch') session.keys(text);
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (mode === 'own') session.resize(cols, rows);
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
      unsubscribe();
      session.dispose();
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
