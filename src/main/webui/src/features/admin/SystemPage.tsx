import { Fragment } from 'preact';
import { api } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import { Alert, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';

type SystemInfo = Record<string, unknown>;

const labels: Record<string, string> = {
  version: 'Berth version',
  dataDir: 'Data directory',
  javaVersion: 'Java',
  os: 'Operating system',
  cpus: 'CPUs',
  maxMemoryBytes: 'Java heap limit',
};

function bytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function show(key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && /Bytes$/.test(key)) return bytes(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function SystemPage() {
  const { data: info, error } = useResource(() => api.get<SystemInfo>('api/system/info'));

  return (
    <div class="page">
      <PageHeader title="Admin" description="This Berth installation: version and where it keeps its data." />
      <AdminTabs />
      {error && <Alert title="Could not load system information.">{error}</Alert>}
      {!info && !error && <p class="muted">Loading…</p>}
      {info && (
        <div class="card">
          <dl class="definition-list" data-testid="system-info">
            {Object.entries(info).map(([key, value]) => (
              <Fragment key={key}>
                <dt>{labels[key] ?? key}</dt>
                <dd class="mono">{show(key, value)}</dd>
              </Fragment>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
