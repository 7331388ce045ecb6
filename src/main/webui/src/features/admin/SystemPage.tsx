import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../../lib/api';
import { Alert, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';

type SystemInfo = Record<string, unknown>;

const labels: Record<string, string> = { version: 'Berth version', dataDir: 'Data directory' };

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function SystemPage() {
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.get<SystemInfo>('api/system/info').then(setInfo, (caught) => setError(messageOf(caught)));
  }, []);

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
              <>
                <dt key={`${key}-label`}>{labels[key] ?? key}</dt>
                <dd key={`${key}-value`} class="mono">{show(value)}</dd>
              </>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
