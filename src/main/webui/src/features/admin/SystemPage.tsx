import { api } from '../../lib/api';
import { formatBytes } from '../../lib/formatBytes';
import { useResource } from '../../lib/useResource';
import { Alert, Button, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';

type SystemInfo = {
  version: string;
  dataDir: string;
  engineRoot: string;
  javaVersion: string;
  os: string;
  kernel: string;
  cgroupVersion: string;
  postgresVersion: string;
  cpus: number;
  maxMemoryBytes: number;
};

type Category = { total: number; active: number; sizeBytes: number; reclaimableBytes: number };
type DiskUsage = { root: string; filesystemBytes: number; freeBytes: number; images: Category; containers: Category; volumes: Category };

const kinds = [
  { key: 'images', label: 'Images', activeWord: 'used by a container', color: 'var(--chart-1)' },
  { key: 'containers', label: 'Containers', activeWord: 'running', color: 'var(--chart-2)' },
  { key: 'volumes', label: 'Volumes', activeWord: 'mounted', color: 'var(--chart-3)' },
] as const;

function percent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const p = (part / whole) * 100;
  return p > 0 && p < 0.1 ? '<0.1%' : `${p.toFixed(p < 10 ? 1 : 0)}%`;
}

type Segment = { label: string; bytes: number; color: string };

/** A labelled stacked bar; the sentence in aria-label says the same for screen readers. */
function StackedBar({ title, total, segments, rest, testId }: { title: string; total: number; segments: Segment[]; rest?: Segment; testId: string }) {
  const whole = Math.max(total, 1);
  const all = rest ? [...segments, rest] : segments;
  const summary = `${title}: ` + all.map((s) => `${s.label.toLowerCase()} ${formatBytes(s.bytes)}`).join(', ') + '.';
  return (
    <figure class="disk-chart" data-testid={testId}>
      <div class="disk-chart-title"><span>{title}</span><strong>{formatBytes(total)}</strong></div>
      <div class="disk-bar" role="img" aria-label={summary}>
        {segments.map((segment) => segment.bytes > 0 && (
          <span key={segment.label} class="disk-segment" title={`${segment.label}: ${formatBytes(segment.bytes)}`}
            style={{ width: `max(${(segment.bytes / whole) * 100}%, 4px)`, background: segment.color }} />
        ))}
      </div>
      <figcaption>
        <ul class="disk-legend">
          {all.map((segment) => (
            <li key={segment.label}>
              <span class={segment === rest ? 'swatch swatch-free' : 'swatch'} style={segment === rest ? undefined : { background: segment.color }} aria-hidden="true" />
              {segment.label} <strong>{formatBytes(segment.bytes)}</strong>
              {segment !== rest && <span class="muted"> · {percent(segment.bytes, whole)}</span>}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** Two bars: the whole file system (Berth's share, other files, free), then Berth's own data by kind. */
function DiskBars({ df }: { df: DiskUsage }) {
  const used = df.filesystemBytes - df.freeBytes;
  const engine = df.images.sizeBytes + df.containers.sizeBytes + df.volumes.sizeBytes;
  return (
    <div class="disk-charts">
      <StackedBar title="File system" total={df.filesystemBytes} testId="disk-chart"
        segments={[
          { label: 'Berth', bytes: engine, color: 'var(--accent)' },
          { label: 'Other files', bytes: Math.max(used - engine, 0), color: 'var(--chart-other)' },
        ]}
        rest={{ label: 'Free', bytes: df.freeBytes, color: '' }} />
      <StackedBar title="Berth’s data" total={engine} testId="engine-chart"
        segments={kinds.map((kind) => ({ label: kind.label, bytes: df[kind.key].sizeBytes, color: kind.color }))} />
    </div>
  );
}

function DiskTable({ df }: { df: DiskUsage }) {
  const largest = Math.max(...kinds.map((kind) => df[kind.key].sizeBytes), 1);
  return (
    <div class="table-wrap">
      <table class="table table-stack" data-testid="disk-usage">
        <caption class="visually-hidden">Disk used by images, containers and volumes</caption>
        <thead>
          <tr><th scope="col">Type</th><th scope="col">Total</th><th scope="col">Active</th><th scope="col">Size</th><th scope="col">Reclaimable</th></tr>
        </thead>
        <tbody>
          {kinds.map((kind) => {
            const c = df[kind.key];
            return (
              <tr key={kind.key} data-kind={kind.key}>
                <th scope="row" data-label="Type"><span class="swatch" style={{ background: kind.color }} aria-hidden="true" />{kind.label}</th>
                <td data-label="Total" data-testid={`df-${kind.key}-total`}>{c.total}</td>
                <td data-label="Active" title={kind.activeWord} data-testid={`df-${kind.key}-active`}>{c.active} <span class="muted">{kind.activeWord}</span></td>
                <td data-label="Size" data-testid={`df-${kind.key}-size`} data-bytes={c.sizeBytes}>
                  <div class="size-cell">
                    <span class="nowrap">{formatBytes(c.sizeBytes)}</span>
                    <span class="size-bar" aria-hidden="true"><span style={{ width: `${(c.sizeBytes / largest) * 100}%`, background: kind.color }} /></span>
                  </div>
                </td>
                <td data-label="Reclaimable" class="nowrap" data-testid={`df-${kind.key}-reclaimable`} data-bytes={c.reclaimableBytes}>
                  {formatBytes(c.reclaimableBytes)} <span class="muted">({percent(c.reclaimableBytes, c.sizeBytes)})</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function SystemPage() {
  const { data: info, error } = useResource(() => api.get<SystemInfo>('api/system/info'));
  const { data: df, error: dfError, loading: dfLoading, reload: reloadDf } = useResource(() => api.get<DiskUsage>('api/system/df'));

  const facts: [string, string | undefined, string?][] = info ? [
    ['Berth', info.version, 'version'],
    ['Java', info.javaVersion, 'java'],
    ['PostgreSQL', info.postgresVersion, 'postgres'],
    ['Kernel', info.kernel, 'kernel'],
    ['Cgroups', info.cgroupVersion, 'cgroups'],
    ['CPUs', String(info.cpus)],
    ['Java heap limit', formatBytes(info.maxMemoryBytes)],
    ['Data directory', info.dataDir],
    ['Engine root', info.engineRoot, 'engine-root'],
  ] : [];

  return (
    <div class="page">
      <PageHeader title="Admin" description="This Berth installation: versions, host, and what the engine keeps on disk." />
      <AdminTabs />
      <section aria-labelledby="disk-heading">
        <div class="section-header">
          <h2 id="disk-heading">Disk use</h2>
          <Button size="small" onClick={reloadDf} busy={dfLoading && df !== null}>Recompute</Button>
        </div>
        {dfError && <Alert title="Could not compute disk use.">{dfError}</Alert>}
        {!df && !dfError && <p class="muted">Measuring images, containers and volumes…</p>}
        {df && (
          <div class="card">
            <p class="muted disk-root">File system of <span class="mono">{df.root}</span>: {formatBytes(df.filesystemBytes - df.freeBytes)} of {formatBytes(df.filesystemBytes)} used ({percent(df.filesystemBytes - df.freeBytes, df.filesystemBytes)}).</p>
            <DiskBars df={df} />
            <DiskTable df={df} />
          </div>
        )}
      </section>
      <section class="section" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions and host</h2>
        {error && <Alert title="Could not load system information.">{error}</Alert>}
        {!info && !error && <p class="muted">Loading…</p>}
        {info && (
          <div class="card">
            <dl class="facts" data-testid="system-info">
              {facts.map(([label, value, id]) => (
                <div class="fact" key={label}>
                  <dt>{label}</dt>
                  <dd class="mono" data-testid={id ? `info-${id}` : undefined}>{value ?? '—'}</dd>
                </div>
              ))}
            </dl>
          </div>
        )}
      </section>
    </div>
  );
}
