import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert } from '../../ui/components';
import { streamLines } from './containersApi';

const MAX_LINES = 5000;
const TAIL = 1000;

type Line = { n: number; time: string; stream: 'stdout' | 'stderr'; text: string };

function highlight(text: string, needle: string): ComponentChildren {
  if (!needle) return text;
  const parts: ComponentChildren[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  let at;
  while ((at = lower.indexOf(needle, from)) >= 0) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  parts.push(text.slice(from));
  return parts;
}

/**
 * The container's log: the last {@link TAIL} lines, then (while it runs and "Follow" is on) new lines as the
 * container writes them, from the logs endpoint's NDJSON stream. Search highlights matches (and can hide the
 * rest); the whole log downloads as text with timestamps.
 */
export function LogsPanel({ id, name, running }: { id: string; name: string; running: boolean }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [follow, setFollow] = useState(true);
  const [streaming, setStreaming] = useState(false);
  const [search, setSearch] = useState('');
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const abort = new AbortController();
    const pending: Line[] = [];
    let counter = 0;
    let timer = 0;
    const flush = () => {
      timer = 0;
      if (pending.length === 0) return;
      const batch = pending.splice(0);
      setLines((list) => (list.length + batch.length > MAX_LINES ? [...list, ...batch].slice(-MAX_LINES) : [...list, ...batch]));
    };
    setLines([]);
    setError(null);
    const live = follow && running;
    setStreaming(live);
    streamLines(`api/containers/${encodeURIComponent(id)}/logs?format=ndjson&tail=${TAIL}&follow=${live}`, abort.signal, (raw) => {
      if (!raw.trim()) return;
      const entry = JSON.parse(raw) as { time: string; stream: 'stdout' | 'stderr'; line: string };
      pending.push({ n: counter++, time: entry.time, stream: entry.stream, text: entry.line.replace(/\r?\n$/, '') });
      if (!timer) timer = window.setTimeout(flush, 100);
    })
      .then(() => {
        if (timer) window.clearTimeout(timer);
        flush();
      })
      .catch((caught) => {
        if (!abort.signal.aborted) setError(messageOf(caught));
      })
      .finally(() => {
        if (!abort.signal.aborted) setStreaming(false);
      });
    return () => {
      abort.abort();
      if (timer) window.clearTimeout(timer);
    };
  }, [id, follow, running]);

  // stay at the bottom while following, unless the user scrolled up to read
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow && pinned.current) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  const needle = search.trim().toLowerCase();
  const matches = needle ? lines.filter((l) => l.text.toLowerCase().includes(needle)).length : 0;
  const shown = needle && onlyMatches ? lines.filter((l) => l.text.toLowerCase().includes(needle)) : lines;

  return (
    <div class="logs">
      <div class="toolbar">
        <label class="visually-hidden" for="log-search">Search the log</label>
        <input id="log-search" class="input toolbar-filter" type="search" placeholder="Search the log" value={search}
          onInput={(e) => setSearch(e.currentTarget.value)} />
        {needle && <span class="muted" data-testid="log-matches" aria-live="polite">{matches} matching line{matches === 1 ? '' : 's'}</span>}
        <label class="check"><input type="checkbox" checked={onlyMatches} onChange={(e) => setOnlyMatches(e.currentTarget.checked)} />Only matches</label>
        <label class="check"><input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.currentTarget.checked)} />Timestamps</label>
        <label class="check"><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />Follow</label>
        <span class="toolbar-spacer" />
        <span class={`live-dot ${streaming ? 'live' : ''}`} title={streaming ? 'Following new lines' : 'Not following'}>
          {streaming ? 'Live' : running ? 'Paused' : 'Stopped'}
        </span>
        <a class="btn btn-small" href={`api/containers/${encodeURIComponent(id)}/logs?timestamps=true`} download={`${name}.log`}>Download</a>
      </div>
      {error && <div class="banner"><Alert title="Could not read the log.">{error}</Alert></div>}
      <pre class="log-view" ref={box} data-testid="log-view" tabIndex={0} aria-label={`Log of ${name}`}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}>
        {shown.length === 0 && <span class="muted">{lines.length === 0 ? 'No output yet. What the container writes to stdout and stderr shows here.' : 'No line matches.'}</span>}
        {shown.map((l) => (
          <div key={l.n} class={`log-line ${l.stream === 'stderr' ? 'log-stderr' : ''}`}>
            {timestamps && <span class="log-time">{l.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} </span>}
            {highlight(l.text, needle)}
          </div>
        ))}
      </pre>
      {lines.length >= MAX_LINES && <p class="muted">Showing the last {MAX_LINES} lines; download the log for all of it.</p>}
    </div>
  );
}
