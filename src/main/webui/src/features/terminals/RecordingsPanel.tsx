/** The recordings of a terminal (asciicast v2), each with a replay player and a download link. */
import { useState } from 'preact/hooks';
import { useResource } from '../../lib/useResource';
import { Alert, Button, formatDate } from '../../ui/components';
import { ReplayPlayer } from './ReplayPlayer';
import { terminalsApi, type Recording } from './terminalsApi';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function RecordingsPanel({ terminalId, version }: { terminalId: string; version: number }) {
  const { data, error, reload } = useResource(() => terminalsApi.recordings(terminalId), [terminalId, version]);
  const [replaying, setReplaying] = useState<Recording | null>(null);
  return (
    <section class="recordings" aria-labelledby={`recordings-${terminalId}`} data-testid="recordings">
      <div class="recordings-header">
        <h2 id={`recordings-${terminalId}`}>Recordings</h2>
        <Button size="small" variant="ghost" onClick={reload}>Refresh</Button>
      </div>
      {error && <Alert title="Could not list the recordings.">{error}</Alert>}
      {data && data.length === 0 && (
        <p class="muted">No recordings yet. The owner can press <strong>Record</strong> to keep this session as a replayable asciicast.</p>
      )}
      {data && data.length > 0 && (
        <ul class="recording-list">
          {data.map((r) => (
            <li key={r.name} class="recording" data-name={r.name}>
              <span class="mono">{r.name}</span>
              <span class="muted">{formatDate(r.modified)} · {size(r.bytes)}</span>
              {r.active && <span class="badge badge-danger">recording now</span>}
              <span class="recording-actions">
                <Button size="small" onClick={() => setReplaying(r)}>Replay</Button>
                <a class="btn btn-ghost btn-small" href={terminalsApi.recordingUrl(terminalId, r.name)} download rel="external">Download</a>
              </span>
            </li>
          ))}
        </ul>
      )}
      {replaying && <ReplayPlayer terminalId={terminalId} recording={replaying} onClose={() => setReplaying(null)} />}
    </section>
  );
}
