/**
 * A shared terminal in the browser: xterm.js 6 on a {@link TerminalSession}.
 *
 * - fits its box and tells the server the size it could show; the terminal itself always has the PTY's size and is
 *   scaled down (CSS transform) when the PTY is larger than the box, so viewers see the driver's whole screen;
 * - clickable links, search (Ctrl+Shift+F), copy (Ctrl+Shift+C, the browser's menu) and paste (Ctrl+Shift+V,
 *   Ctrl+V, the browser's menu) sent as the protocol's paste frame, so the server brackets it;
 * - IME/CJK input: xterm.js composes; we forward its onData exactly once;
 * - viewers (and drivers without control in single-driver mode) get a hint instead of typing into the void;
 * - a visible "Reconnecting…" state while the socket is down; the session resumes without loss or duplicates.
 *
 * Use it with a session you own (`session`), or give a `terminalId` and it manages its own.
 */
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { TerminalSession, type SessionState } from './terminalSession';

export const TERMINAL_THEME = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#7cb1f7',
  cursorAccent: '#0d1117',
  selectionBackground: '#2f5a9e',
  black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922',
  blue: '#58a6ff', magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
  brightBlack: '#6e7681', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341',
  brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#ffffff',
};

export const TERMINAL_FONT =
  '"DejaVu Sans Mono", "Noto Sans Mono", ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "Noto Sans Mono CJK SC", "Noto Sans CJK SC", monospace';

/** The scrollbar xterm.js reserves on the right (FitAddon's default). */
const SCROLLBAR = 14;

/** Keeps a Preact component in step with a session's state. */
export function useSessionState(session: TerminalSession | null): SessionState | null {
  const [state, setState] = useState<SessionState | null>(session?.state ?? null);
  useEffect(() => {
    if (!session) return;
    setState(session.state);
    return session.subscribe(setState);
  }, [session]);
  return state;
}

/** A session for one terminal id, started by the TerminalView that shows it and closed on unmount. */
export function useTerminalSession(terminalId: string): TerminalSession {
  const session = useMemo(() => new TerminalSession(terminalId), [terminalId]);
  useEffect(() => () => session.dispose(), [session]);
  return session;
}

type Props = {
  session?: TerminalSession;
  terminalId?: string;
  /** Never send input, whatever the role (thumbnails). */
  readOnly?: boolean;
  /** Hide the small bar with status, size, search, copy and paste. */
  bare?: boolean;
  class?: string;
  fontSize?: number;
  /** Focus the terminal once it shows. */
  autoFocus?: boolean;
};

export function TerminalView(props: Props) {
  if (props.session) return <TerminalViewOn {...props} session={props.session} />;
  return <OwnSession {...props} terminalId={props.terminalId ?? ''} />;
}

function OwnSession(props: Props & { terminalId: string }) {
  const session = useTerminalSession(props.terminalId);
  return <TerminalViewOn {...props} session={session} />;
}

function statusText(state: SessionState | null): string {
  if (!state) return 'Connecting…';
  switch (state.status) {
    case 'connecting': return 'Connecting…';
    case 'live': return 'Live';
    case 'reconnecting': return 'Reconnecting…';
    case 'exited': return state.exitStatus === null ? 'Ended' : `Ended (exit ${state.exitStatus})`;
    case 'ended': return 'Signed out';
    case 'revoked': return 'Access revoked';
    case 'not-found': return 'Not available';
  }
}

function TerminalViewOn({ session, readOnly, bare, class: className, fontSize = 14, autoFocus }: Props & { session: TerminalSession }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const state = useSessionState(session);
  const [scale, setScale] = useState(1);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  function say(message: string) {
    setFlash(message);
    window.setTimeout(() => setFlash((current) => (current === message ? null : current)), 2500);
  }

  function mayType(): boolean {
    return !readOnlyRef.current && session.mayType();
  }

  /** Tells the user why their keys go nowhere. */
  function refuse() {
    const s = session.state;
    if (readOnlyRef.current) return;
    if (s.status !== 'live') session.hint('offline', 'Not connected: your keys are not sent until the terminal is back.');
    else if (s.role === 'viewer') session.hint('read-only', 'You are watching: only drivers can type. Ask the owner to let you drive.');
    else if (s.role === 'owner') session.hint('not-in-control', `${s.controller ?? 'Someone else'} has the keyboard (single-driver mode). Take it back to type.`);
    else session.hint('not-in-control', `${s.controller ?? 'Someone else'} has the keyboard (single-driver mode). Request control to type.`);
  }

  async function copySelection() {
    const term = termRef.current;
    const text = term?.getSelection() ?? '';
    if (!text) {
      say('Select text first, then copy.');
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // without clipboard permission: the textarea's copy event (xterm.js fills it with the selection)
      term?.textarea?.focus();
      document.execCommand('copy');
    }
    say('Copied');
    term?.focus();
  }

  function pasteText(text: string) {
    if (!text) return;
    if (!mayType()) {
      refuse();
      return;
    }
    session.paste(text);
    termRef.current?.scrollToBottom();
  }

  async function pasteFromClipboard() {
    try {
      pasteText(await navigator.clipboard.readText());
    } catch {
      say('The browser did not allow reading the clipboard: press Ctrl+Shift+V or use the browser’s Paste menu.');
    }
    termRef.current?.focus();
  }

  /** Lays the terminal out: the size we could show goes to the server; a larger PTY is scaled to fit. */
  function layout() {
    const term = termRef.current;
    const box = boxRef.current;
    const fit = fitRef.current;
    if (!term || !box || !term.element || box.clientWidth === 0 || box.clientHeight === 0) return;
    const proposed = fit?.proposeDimensions();
    if (proposed && proposed.cols > 0 && proposed.rows > 0) session.resize(proposed.cols, proposed.rows);
    const screen = term.element.querySelector('.xterm-screen') as HTMLElement | null;
    if (!screen) return;
    const width = screen.offsetWidth + SCROLLBAR;
    const height = screen.offsetHeight;
    const s = Math.min(1, box.clientWidth / width, box.clientHeight / height);
    term.element.style.transform = s < 0.999 ? `scale(${s})` : '';
    setScale(s < 0.999 ? s : 1);
  }
  const fitRef = useRef<FitAddon | null>(null);

  useEffect(() => {
    const host = hostRef.current!;
    const box = boxRef.current!;
    const term = new Terminal({
      allowProposedApi: true,
      scrollback: 5000,
      fontFamily: TERMINAL_FONT,
      fontSize,
      lineHeight: 1.15,
      cursorBlink: true,
      theme: TERMINAL_THEME,
      // the server answers no queries and owns the PTY size: xterm.js must not resize itself
      windowOptions: {},
      rightClickSelectsWord: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((event, uri) => {
      event.preventDefault();
      window.open(uri, '_blank', 'noopener,noreferrer');
    }));
    term.open(box);
    termRef.current = term;
    fitRef.current = fit;
    searchRef.current = search;
    const resultsListener = search.onDidChangeResults((r) => setResults(r ? { index: r.resultIndex, count: r.resultCount } : null));

    // input: once per keystroke or composed IME string
    const dataListener = term.onData((data) => {
      if (mayType()) session.keys(data);
    });
    const resizeListener = term.onResize(() => window.requestAnimationFrame(layout));

    let nativePaste = false;
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      const key = event.key.toLowerCase();
      const ctrlShift = (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey;
      if (ctrlShift && key === 'c') {
        event.preventDefault();
        copySelection();
        return false;
      }
      if ((ctrlShift && key === 'v') || ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && key === 'v' && event.metaKey)) {
        // the browser's own paste (a paste event) if it does one, else the clipboard API
        nativePaste = false;
        window.setTimeout(() => {
          if (!nativePaste) pasteFromClipboard();
        }, 80);
        return false;
      }
      if (ctrlShift && key === 'f') {
        event.preventDefault();
        setSearching(true);
        window.setTimeout(() => searchInput.current?.focus(), 0);
        return false;
      }
      if (event.shiftKey && (key === 'pageup' || key === 'pagedown')) return true; // local scrolling
      const modifierOnly = ['shift', 'control', 'alt', 'meta', 'capslock'].includes(key);
      if (!modifierOnly && !mayType()) {
        refuse();
        return false;
      }
      return true;
    });
    // pastes from Ctrl+V, Ctrl+Shift+V and the browser's menu: our paste frame, not xterm.js's own handling
    const onPaste = (event: ClipboardEvent) => {
      nativePaste = true;
      event.preventDefault();
      event.stopPropagation();
      pasteText(event.clipboardData?.getData('text/plain') ?? '');
    };
    host.addEventListener('paste', onPaste, true);

    session.attach({
      output: (bytes) => term.write(bytes),
      // in order with the output already queued in xterm.js; the repaint's own RIS (ESC c) resets the screen
      repaint: (cols, rows, bytes) => {
        term.write(new Uint8Array(0), () => {
          if (term.cols !== cols || term.rows !== rows) term.resize(cols, rows);
        });
        term.write(bytes);
      },
      // ordered with output: resize after the bytes before it are on screen
      resize: (cols, rows) => term.write(new Uint8Array(0), () => {
        if (term.cols !== cols || term.rows !== rows) term.resize(cols, rows);
      }),
    });
    const proposed = fit.proposeDimensions();
    if (readOnlyRef.current) session.passive = true;
    session.start(proposed?.cols && proposed.cols > 1 ? proposed.cols : 80, proposed?.rows && proposed.rows > 1 ? proposed.rows : 24);

    let pendingLayout: number | null = null;
    const observer = new ResizeObserver(() => {
      if (pendingLayout !== null) window.clearTimeout(pendingLayout);
      pendingLayout = window.setTimeout(() => {
        pendingLayout = null;
        layout();
      }, 60);
    });
    observer.observe(box);
    if (autoFocus) term.focus();
    (host as HTMLElement & { xterm?: Terminal }).xterm = term;

    return () => {
      observer.disconnect();
      if (pendingLayout !== null) window.clearTimeout(pendingLayout);
      host.removeEventListener('paste', onPaste, true);
      resultsListener.dispose();
      dataListener.dispose();
      resizeListener.dispose();
      session.attach(null);
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
      searchRef.current = null;
    };
  }, [session]);

  // the reconnect countdown
  useEffect(() => {
    if (state?.status !== 'reconnecting') return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [state?.status]);

  useEffect(() => {
    termRef.current?.options && (termRef.current.options.cursorBlink = !readOnly && state?.role !== 'viewer');
  }, [readOnly, state?.role]);

  const searchOptions = { decorations: { matchBackground: '#5a4a12', activeMatchBackground: '#b8860b', matchOverviewRuler: '#d29922', activeMatchColorOverviewRuler: '#ffcc00' } };
  function find(backwards = false) {
    const search = searchRef.current;
    if (!search || !query) return;
    if (backwards) search.findPrevious(query, searchOptions);
    else search.findNext(query, searchOptions);
  }

  const status = state?.status ?? 'connecting';
  const hint = state?.hint;
  const watching = readOnly || state?.role === 'viewer';
  return (
    <div class={['term-view', className].filter(Boolean).join(' ')} data-testid="terminal-view" data-terminal-id={session.terminalId}
      data-status={status} data-scale={scale.toFixed(3)} data-role={state?.role ?? ''}>
      {!bare && (
        <div class="term-bar">
          <span class={`term-status term-status-${status}`} data-testid="terminal-status" role="status" aria-live="polite">
            <span class="term-status-dot" aria-hidden="true" />
            {statusText(state)}
          </span>
          {state && <span class="term-size muted" title="The terminal's size (columns × rows)">{state.cols}×{state.rows}{scale < 1 && <> · scaled to {Math.round(scale * 100)}%</>}</span>}
          {watching && status === 'live' && <span class="badge" data-testid="read-only-badge">Read-only</span>}
          <span class="term-bar-spacer" />
          <button type="button" class="btn btn-ghost btn-small" onClick={() => { setSearching(!searching); window.setTimeout(() => searchInput.current?.focus(), 0); }}
            aria-pressed={searching} title="Search the scrollback (Ctrl+Shift+F)">Search</button>
          <button type="button" class="btn btn-ghost btn-small" onClick={copySelection} title="Copy the selection (Ctrl+Shift+C)">Copy</button>
          {!watching && <button type="button" class="btn btn-ghost btn-small" onClick={pasteFromClipboard} title="Paste (Ctrl+Shift+V)">Paste</button>}
        </div>
      )}
      {searching && (
        <form class="term-search" role="search" onSubmit={(e) => { e.preventDefault(); find(false); }}>
          <label class="visually-hidden" for={`term-search-${session.terminalId}`}>Search the terminal</label>
          <input ref={searchInput} id={`term-search-${session.terminalId}`} class="input" placeholder="Search the terminal" value={query}
            onInput={(e) => { setQuery(e.currentTarget.value); searchRef.current?.findNext(e.currentTarget.value, { ...searchOptions, incremental: true }); }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') { setSearching(false); searchRef.current?.clearDecorations(); termRef.current?.focus(); }
              if (e.key === 'Enter' && e.shiftKey) { e.preventDefault(); find(true); }
            }} />
          <span class="muted term-search-count" aria-live="polite">{query && results ? (results.count === 0 ? 'No matches' : `${results.index + 1} of ${results.count}`) : ''}</span>
          <button type="button" class="btn btn-small" onClick={() => find(true)} aria-label="Previous match">↑</button>
          <button type="submit" class="btn btn-small" aria-label="Next match">↓</button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => { setSearching(false); searchRef.current?.clearDecorations(); termRef.current?.focus(); }}>Close</button>
        </form>
      )}
      <div class="term-screen" ref={hostRef}>
        <div class="term-box" ref={boxRef} />
        {status === 'reconnecting' && (
          <div class="term-overlay" data-testid="terminal-reconnecting" role="alert">
            <span class="spinner" aria-hidden="true" />
            <span>Connection lost. Reconnecting{state?.retryAt ? ` in ${Math.max(0, Math.ceil((state.retryAt - now) / 1000))} s` : ''}… nothing you missed will be lost.</span>
            <button type="button" class="btn btn-small" onClick={() => session.reconnectNow()}>Reconnect now</button>
          </div>
        )}
        {(status === 'ended' || status === 'revoked' || status === 'not-found' || status === 'exited') && (
          <div class="term-overlay term-overlay-final" data-testid="terminal-closed" role="status">
            {status === 'exited' && <span>The program ended{state?.exitStatus !== null ? ` with status ${state?.exitStatus}` : ''}. Scroll back to read its output.</span>}
            {status === 'ended' && <span>Your session ended ({state?.closeReason}). Sign in again to reconnect.</span>}
            {status === 'revoked' && <span>Your access to this terminal was revoked. Ask its owner to share it again.</span>}
            {status === 'not-found' && <span>This terminal does not exist (any more) or is not shared with you.</span>}
          </div>
        )}
        {(hint || flash) && status === 'live' && (
          <div class="term-hint" data-testid="terminal-hint" role="status">
            <span>{flash ?? hint?.message}</span>
            {!flash && hint?.code === 'not-in-control' && state?.role === 'owner' && (
              <button type="button" class="btn btn-small" onClick={() => { session.takeBack(); session.clearHint(); }}>Take back</button>
            )}
            {!flash && hint?.code === 'not-in-control' && state?.role === 'driver' && (
              <button type="button" class="btn btn-small" onClick={() => { session.requestControl(); session.hint('requested', 'Asked for control; you can type once it is granted.'); }}>Request control</button>
            )}
            {!flash && <button type="button" class="btn btn-ghost btn-small" aria-label="Dismiss" onClick={() => session.clearHint()}>×</button>}
          </div>
        )}
      </div>
    </div>
  );
}
