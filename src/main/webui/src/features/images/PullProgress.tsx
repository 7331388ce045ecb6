/** A pull's progress as bars: one for the whole image, one per layer; the same view for whoever watches. */
import { Alert } from '../../ui/components';
import { formatBytes, shortId, shortReference, type PullEvent } from './imagesApi';

export type PullState = {
  id: string | null;
  reference: string;
  overall: PullEvent | null;
  /** Latest event per layer digest, in the order the layers appeared. */
  layers: Record<string, PullEvent>;
};

export function emptyPull(reference: string, id: string | null = null): PullState {
  return { id, reference, overall: null, layers: {} };
}

/** Applies one event of the stream (pure, for state updates). */
export function applyPullEvent(state: PullState, event: PullEvent): PullState {
  if (event.layer) return { ...state, id: state.id ?? event.pullId, layers: { ...state.layers, [event.layer]: event } };
  return { ...state, id: state.id ?? event.pullId, reference: event.reference || state.reference, overall: event };
}

export function pullFinished(state: PullState): boolean {
  return state.overall?.status === 'complete' || state.overall?.status === 'failed';
}

const LAYER_LABELS: Record<string, string> = {
  waiting: 'Waiting',
  downloading: 'Downloading',
  verifying: 'Verifying',
  extracting: 'Extracting',
  done: 'Done',
  error: 'Error',
};

type Bar = { now: number; max: number; text: string; tone: 'active' | 'done' | 'error' | 'idle' | 'busy' };

function layerBar(event: PullEvent): Bar {
  const total = event.total > 0 ? event.total : 0;
  const sizeText = total > 0 ? formatBytes(total) : 'size unknown';
  switch (event.status) {
    case 'downloading':
      return { now: Math.min(event.current, total || event.current), max: total || Math.max(event.current, 1), tone: 'active',
        text: total > 0 ? `${formatBytes(event.current)} / ${sizeText}` : formatBytes(event.current) };
    case 'verifying':
    case 'extracting':
      return { now: total || 1, max: total || 1, tone: 'busy', text: sizeText };
    case 'done':
      return { now: total || 1, max: total || 1, tone: 'done', text: event.message === 'already present' ? `${sizeText}, already present` : sizeText };
    case 'error':
      return { now: Math.min(event.current, total), max: total || 1, tone: 'error', text: event.message };
    default:
      return { now: 0, max: total || 1, tone: 'idle', text: event.message || sizeText };
  }
}

function ProgressBar({ label, bar }: { label: string; bar: Bar }) {
  const percent = bar.max > 0 ? Math.min(100, (bar.now / bar.max) * 100) : 0;
  return (
    <div class={`progress progress-${bar.tone}`} role="progressbar" aria-label={label} aria-valuemin={0}
      aria-valuemax={bar.max} aria-valuenow={bar.now} aria-valuetext={`${Math.floor(percent)}%, ${bar.text}`}>
      <div class="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

function overallBar(state: PullState): Bar {
  const layers = Object.values(state.layers);
  const status = state.overall?.status;
  if (status === 'complete') return { now: 1, max: 1, tone: 'done', text: 'complete' };
  const total = layers.reduce((sum, l) => sum + (l.total > 0 ? l.total : 0), 0);
  const now = layers.reduce((sum, l) => sum + (['verifying', 'extracting', 'done'].includes(l.status) ? Math.max(l.total, 0) : Math.min(l.current, Math.max(l.total, 0))), 0);
  if (status === 'failed') return { now, max: total || 1, tone: 'error', text: 'failed' };
  if (total === 0) return { now: 0, max: 1, tone: 'idle', text: 'resolving' };
  return { now, max: total, tone: 'active', text: `${formatBytes(now)} of ${formatBytes(total)}` };
}

function headline(state: PullState): string {
  const status = state.overall?.status;
  const layers = Object.values(state.layers);
  if (!status || status === 'resolving') return 'Resolving the reference…';
  if (status === 'complete') return 'Pulled';
  if (status === 'failed') return 'Failed';
  const done = layers.filter((l) => l.status === 'done').length;
  return `Pulling: ${done} of ${layers.length} layer${layers.length === 1 ? '' : 's'} done`;
}

/** The bars of one pull. `compact` leaves out the reference heading (the dialog shows it already). */
export function PullProgress({ state, compact }: { state: PullState; compact?: boolean }) {
  const overall = overallBar(state);
  const layers = Object.entries(state.layers);
  const failed = state.overall?.status === 'failed' ? state.overall : null;
  return (
    <div class="pull" data-testid="pull-progress" data-reference={state.reference} data-status={state.overall?.status ?? 'starting'}>
      <div class="pull-head">
        {!compact && <span class="pull-ref mono">{shortReference(state.reference)}</span>}
        <span class="pull-headline" aria-live="polite">{headline(state)}</span>
        <span class="pull-amount muted">{overall.tone === 'active' ? overall.text : ''}</span>
      </div>
      <ProgressBar label={`Pull of ${shortReference(state.reference)}`} bar={overall} />
      {failed && (
        <div class="pull-error"><Alert title="The pull failed.">{failed.message}</Alert></div>
      )}
      {layers.length > 0 && (
        <ul class="layer-list" aria-label="Layers">
          {layers.map(([digest, event]) => {
            const bar = layerBar(event);
            const label = LAYER_LABELS[event.status] ?? event.status;
            return (
              <li key={digest} class="layer" data-testid="pull-layer" data-status={event.status}>
                <span class="layer-digest mono" title={digest}>{shortId(digest)}</span>
                <ProgressBar label={`Layer ${shortId(digest)}`} bar={bar} />
                <span class={`layer-status layer-status-${bar.tone}`}>{label}</span>
                <span class="layer-amount muted">{bar.text}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
