import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert } from '../../ui/components';
import { streamLines, type ContainerStats } from './containersApi';
import { formatBytes } from './format';

const WINDOW = 60;

type Sample = { at: number; cpu: number; memory: number; memoryLimit: number; pids: number; rxRate: number; txRate: number };

type Series = { label: string; values: number[]; className: string };

/** A small line chart in SVG: the last {@link WINDOW} samples, scaled to the largest value (or a fixed maximum). */
function Chart({ title, testId, series, min, format, summary, note }: {
  title: string; testId: string; series: Series[]; min: number; format: (v: number) => string; summary: string; note?: string;
}) {
  const width = 300;
  const height = 90;
  const count = series[0]?.values.length ?? 0;
  // the scale: the largest value with some headroom (at least `min`); the time axis grows to the full window
  const peak = Math.max(min, ...series.flatMap((s) => s.values)) * 1.15;
  const slots = Math.min(WINDOW, Math.max(count, 15));
  const x = (i: number, length: number) => ((slots - length + i) / (slots - 1)) * width;
  const points = (values: number[]) => values.map((v, i) => `${x(i, values.length)},${height - (v / peak) * (height - 4) - 2}`).join(' ');
  return (
    <figure class="chart card" data-testid={testId} data-samples={count}>
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-value">{summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${summary}`}>
        {[0.25, 0.5, 0.75].map((f) => <line key={f} class="chart-grid" x1="0" x2={width} y1={height * f} y2={height * f} />)}
        {series.map((s) => s.values.length > 1 && (
          <g key={s.label} class={s.className}>
            <polygon class="chart-area" points={`${points(s.values)} ${width},${height} ${x(0, s.values.length)},${height}`} />
            <polyline class="chart-line" points={points(s.values)} />
          </g>
        ))}
      </svg>
      <div class="chart-foot">
        <span class="muted">{count < 2 ? 'Collecting…' : `last ${count} s`}</span>
        <span class="chart-legend">
          {series.length > 1 && series.map((s) => <span key={s.label} class={`legend ${s.className}`}>{s.label}</span>)}
          <span class="muted">{note ?? `peak ${format(Math.max(...series.flatMap((s) => s.values), 0))}`}</span>
        </span>
      </div>
    </figure>
  );
}

/** Live CPU, memory and network charts from {@code GET /api/containers/{id}/stats?stream=true} (one sample a second). */
export function StatsPanel({ id, running }: { id: string; running: boolean }) {
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!running) return;
    const abort = new AbortController();
    let previous: ContainerStats | null = null;
    setError(null);
    streamLines(`api/containers/${encodeURIComponent(id)}/stats?stream=true`, abort.signal, (line) => {
      if (!line.trim()) return;
      const s = JSON.parse(line) as ContainerStats;
      const at = Date.parse(s.read);
      const seconds = previous ? Math.max(0.001, (at - Date.parse(previous.read)) / 1000) : 1;
      const sample: Sample = {
        at, cpu: s.cpuPercent, memory: s.memoryUsage, memoryLimit: s.memoryLimit, pids: s.pids,
        rxRate: previous ? Math.max(0, (s.netRxBytes - previous.netRxBytes) / seconds) : 0,
        txRate: previous ? Math.max(0, (s.netTxBytes - previous.netTxBytes) / seconds) : 0,
      };
      previous = s;
      setSamples((list) => [...list, sample].slice(-WINDOW));
    }).catch((caught) => {
      if (!abort.signal.aborted) setError(messageOf(caught));
    });
    return () => abort.abort();
  }, [id, running]);

  if (!running && samples.length === 0) {
    return <div class="empty"><h2>Not running</h2><p>Live charts of CPU, memory and network appear while the container runs. Start it to see them.</p></div>;
  }
  const last = samples[samples.length - 1];
  const limit = last && last.memoryLimit > 0 && last.memoryLimit < 2 ** 60 ? last.memoryLimit : undefined;
  const rate = (v: number) => `${formatBytes(v)}/s`;
  return (
    <div>
      {error && <div class="banner"><Alert title="Live statistics stopped.">{error}</Alert></div>}
      {!running && <p class="muted">The container stopped; these are its last samples.</p>}
      <div class="charts">
        <Chart title="CPU" testId="chart-cpu" series={[{ label: 'CPU', values: samples.map((s) => s.cpu), className: 'series-1' }]}
          min={1} format={(v) => `${v.toFixed(1)}%`} summary={last ? `${last.cpu.toFixed(1)}%` : '–'} />
        <Chart title="Memory" testId="chart-memory" series={[{ label: 'Memory', values: samples.map((s) => s.memory), className: 'series-2' }]}
          min={1024 * 1024} format={formatBytes} summary={last ? formatBytes(last.memory) : '–'}
          note={last ? `${limit ? `limit ${formatBytes(limit)} · ` : ''}${last.pids} process${last.pids === 1 ? '' : 'es'}` : undefined} />
        <Chart title="Network" testId="chart-network" series={[
          { label: 'in', values: samples.map((s) => s.rxRate), className: 'series-1' },
          { label: 'out', values: samples.map((s) => s.txRate), className: 'series-3' },
        ]} min={1024} format={rate} summary={last ? `↓ ${rate(last.rxRate)} · ↑ ${rate(last.txRate)}` : '–'} />
      </div>
    </div>
  );
}
