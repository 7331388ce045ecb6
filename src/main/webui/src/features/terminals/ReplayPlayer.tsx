/**
 * Replays an asciicast v2 recording into a read-only xterm.js: play/pause, restart, seek, speed. Long idle gaps
 * are shortened to 2 s (as asciinema's idle_time_limit does) so a replay doesn't sit still.
 */
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert, Button } from '../../ui/components';
import { terminalsApi, type Recording } from './terminalsApi';
import { TERMINAL_FONT, TERMINAL_THEME } from './TerminalView';

const IDLE_LIMIT = 2;

type Event = { t: number; code: string; data: string };
type Cast = { width: number; height: number; events: Event[]; duration: number; inputs: number };

export function parseAsciicast(text: string): Cast {
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length === 0) throw new Error('The recording is empty.');
  const header = JSON.parse(lines[0]);
  if (header.version !== 2) throw new Error(`Unsupported asciicast version ${header.version}; this player reads version 2.`);
  const events: Event[] = [];
  let last = 0;
  let shift = 0;
  let inputs = 0;
  for (const line of lines.slice(1)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a recording still being written may end mid-line
    }
    if (!Array.isArray(parsed) || parsed.length < 3) continue;
    const [time, code, data] = parsed as [number, string, string];
    const gap = time - last;
    if (gap > IDLE_LIMIT) shift += gap - IDLE_LIMIT;
    last = time;
    if (code === 'i') inputs++;
    events.push({ t: time - shift, code, data: String(data) });
  }
  return { width: header.width ?? 80, height: header.height ?? 24, events, duration: events.length ? events[events.length - 1].t : 0, inputs };
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function ReplayPlayer({ terminalId, recording, onClose }: { terminalId: string; recording: Recording; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const castRef = useRef<Cast | null>(null);
  const indexRef = useRef(0);
  const posRef = useRef(0);
  const [cast, setCast] = useState<Cast | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [pos, setPos] = useState(0);
  const [scale, setScale] = useState(1);

  useEffect(() => {
    dialogRef.current?.showModal();
    const term = new Terminal({ disableStdin: true, cursorBlink: false, fontFamily: TERMINAL_FONT, fontSize: 14, lineHeight: 1.15, theme: TERMINAL_THEME, scrollback: 5000 });
    term.open(boxRef.current!);
    termRef.current = term;
    let live = true;
    terminalsApi.recording(terminalId, recording.name)
      .then((text) => {
        if (!live) return;
        const parsed = parseAsciicast(text);
        castRef.current = parsed;
        term.resize(parsed.width, parsed.height);
        setCast(parsed);
        fitScale();
        setPlaying(true);
      })
      .catch((caught) => live && setError(messageOf(caught)));
    return () => {
      live = false;
      term.dispose();
      termRef.current = null;
    };
  }, [terminalId, recording.name]);

  function fitScale() {
    const term = termRef.current;
    const box = boxRef.current;
    if (!term?.element || !box) return;
    const screen = term.element.querySelector('.xterm-screen') as HTMLElement | null;
    if (!screen) return;
    const s = Math.min(1, box.clientWidth / (screen.offsetWidth + 14), (window.innerHeight * 0.6) / screen.offsetHeight);
    term.element.style.transform = s < 0.999 ? `scale(${s})` : '';
    box.style.height = `${Math.ceil(screen.offsetHeight * s) + 4}px`;
    setScale(s);
  }

  /** Applies every event up to `to` (seconds). */
  function advance(to: number) {
    const c = castRef.current;
    const term = termRef.current;
    if (!c || !term) return;
    while (indexRef.current < c.events.length && c.events[indexRef.current].t <= to) {
      const e = c.events[indexRef.current++];
      if (e.code === 'o') term.write(e.data);
      else if (e.code === 'r') {
        const m = /^(\d+)x(\d+)$/.exec(e.data);
        if (m) {
          term.resize(Number(m[1]), Number(m[2]));
          window.requestAnimationFrame(fitScale);
        }
      }
    }
    posRef.current = to;
    setPos(to);
  }

  function seek(to: number) {
    const c = castRef.current;
    const term = termRef.current;
    if (!c || !term) return;
    if (to < posRef.current) {
      // in order with what is still queued
      term.write('\x1bc', () => term.resize(c.width, c.height));
      indexRef.current = 0;
    }
    advance(to);
  }

  useEffect(() => {
    if (!playing || !cast) return;
    let last = performance.now();
    const timer = window.setInterval(() => {
      const now = performance.now();
      const to = Math.min(cast.duration, posRef.current + ((now - last) / 1000) * speed);
      last = now;
      advance(to);
      if (to >= cast.duration) setPlaying(false);
    }, 40);
    return () => window.clearInterval(timer);
  }, [playing, speed, cast]);

  function togglePlay() {
    if (!cast) return;
    if (!playing && posRef.current >= cast.duration) seek(0);
    setPlaying(!playing);
  }

  return (
    <dialog ref={dialogRef} class="dialog replay-dialog" aria-labelledby="replay-title" onClose={onClose} onCancel={onClose} data-testid="replay">
      <div class="dialog-header replay-header">
        <h2 id="replay-title">Replay of {recording.name}</h2>
        <Button size="small" variant="ghost" onClick={() => dialogRef.current?.close()}>Close</Button>
      </div>
      <div class="dialog-body">
        {error && <Alert title="Could not replay the recording.">{error}</Alert>}
        <div class="replay-screen" ref={boxRef} data-testid="replay-screen" data-scale={scale.toFixed(3)} />
        <div class="replay-controls">
          <Button size="small" variant="primary" onClick={togglePlay} disabled={!cast} data-testid="replay-play">
            {playing ? 'Pause' : cast && pos >= cast.duration ? 'Play again' : 'Play'}
          </Button>
          <Button size="small" onClick={() => seek(0)} disabled={!cast}>Restart</Button>
          <label class="visually-hidden" for="replay-position">Position</label>
          <input id="replay-position" type="range" class="replay-range" min={0} max={cast?.duration ?? 0} step={0.1} value={pos}
            disabled={!cast} onInput={(e) => seek(Number(e.currentTarget.value))} />
          <span class="mono muted" data-testid="replay-clock">{clock(pos)} / {clock(cast?.duration ?? 0)}</span>
          <label class="inline-field">
            <span>Speed</span>
            <select class="select select-inline" value={String(speed)} onChange={(e) => setSpeed(Number(e.currentTarget.value))}>
              {[0.5, 1, 2, 4, 8].map((s) => <option key={s} value={String(s)}>{s}×</option>)}
            </select>
          </label>
        </div>
        {cast && <p class="muted replay-note">{cast.events.length} events{cast.inputs ? `, ${cast.inputs} of them typed input` : ''}; pauses longer than {IDLE_LIMIT} s are shortened.</p>}
      </div>
    </dialog>
  );
}
