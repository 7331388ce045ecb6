import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from '../../lib/api';
import { Alert, Button, Field, formatDate, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';
import { isMissingApi } from './quotasApi';

type AuditEntry = { id: number | string; at: string; actor: string; action: string; target: string | null; detail: string | null; address: string | null };
type AuditPageData = { entries: AuditEntry[]; next: string | number | null };
type Filters = { q: string; actor: string; action: string; since: string; until: string };

const PAGE_SIZE = 50;
const noFilters: Filters = { q: '', actor: '', action: '', since: '', until: '' };

/** The datetime-local value (the browser's local time) as an ISO instant for the API. */
function instant(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function query(filters: Filters, before?: string | number | null): string {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.actor.trim()) params.set('actor', filters.actor.trim());
  if (filters.action.trim()) params.set('action', filters.action.trim());
  const since = instant(filters.since);
  const until = instant(filters.until);
  if (since) params.set('since', since);
  if (until) params.set('until', until);
  params.set('limit', String(PAGE_SIZE));
  if (before !== undefined && before !== null) params.set('before', String(before));
  return `api/audit?${params}`;
}

function actionClass(action: string): string {
  if (/failed|revoke|remove|kill|expire/.test(action)) return 'badge badge-danger';
  if (/create|login$|grant|join/.test(action)) return 'badge badge-success';
  return 'badge';
}

/** Who did what, when and from where: searchable, newest first, paged with "Older entries". */
export function AuditPage() {
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | number | null>(null);
  const [available, setAvailable] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load(using: Filters, before?: string | number | null) {
    setBusy(true);
    setError(null);
    try {
      const page = await api.get<AuditPageData>(query(using, before));
      setEntries((previous) => (before !== undefined && before !== null ? [...(previous ?? []), ...page.entries] : page.entries));
      setNext(page.next ?? null);
    } catch (caught) {
      if (isMissingApi(caught)) setAvailable(false);
      else setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    load(noFilters);
  }, []);

  function search(event: Event) {
    event.preventDefault();
    setApplied(filters);
    load(filters);
  }

  function clear() {
    setFilters(noFilters);
    setApplied(noFilters);
    load(noFilters);
  }

  const filtered = Object.values(applied).some((v) => v.trim() !== '');
  const set = (key: keyof Filters) => (e: { currentTarget: HTMLInputElement }) => setFilters({ ...filters, [key]: e.currentTarget.value });

  return (
    <div class="page">
      <PageHeader title="Admin" description="Who did what on this Berth, when, and from where." />
      <AdminTabs />
      {!available && (
        <div class="empty" data-testid="audit-unavailable">
          <h2>The audit log is not available on this server</h2>
          <p>This Berth does not offer the audit API (<code>/api/audit</code>) yet, so sign-ins and changes are not recorded here.
            The server log still records errors.</p>
        </div>
      )}
      {available && (
        <>
          <form class="filters" role="search" aria-label="Search the audit log" onSubmit={search} data-testid="audit-search">
            <Field id="audit-q" label="Search">
              {(aria) => <input {...aria} class="input" type="search" placeholder="target, detail, address…" value={filters.q} onInput={set('q')} />}
            </Field>
            <Field id="audit-actor" label="Actor">
              {(aria) => <input {...aria} class="input" autoComplete="off" placeholder="username" value={filters.actor} onInput={set('actor')} />}
            </Field>
            <Field id="audit-action" label="Action">
              {(aria) => <input {...aria} class="input" autoComplete="off" placeholder="e.g. session.login" list="audit-actions" value={filters.action} onInput={set('action')} />}
            </Field>
            <Field id="audit-since" label="From">
              {(aria) => <input {...aria} class="input" type="datetime-local" value={filters.since} onInput={set('since')} />}
            </Field>
            <Field id="audit-until" label="To">
              {(aria) => <input {...aria} class="input" type="datetime-local" value={filters.until} onInput={set('until')} />}
            </Field>
            <div class="filters-actions">
              <Button type="submit" variant="primary" busy={busy && entries !== null}>Search</Button>
              {filtered && <Button onClick={clear}>Clear</Button>}
            </div>
            <datalist id="audit-actions">
              {['session.login', 'session.login-failed', 'session.logout', 'image.pull', 'image.remove', 'container.create', 'container.remove',
                'container.exec', 'terminal.join', 'share.grant', 'link.create', 'user.create', 'user.update', 'token.create']
                .map((a) => <option key={a} value={a} />)}
            </datalist>
          </form>
          {error && <Alert title="Could not load the audit log.">{error} <Button size="small" onClick={() => load(applied)}>Retry</Button></Alert>}
          {entries === null && !error && <p class="muted">Loading the audit log…</p>}
          {entries && entries.length === 0 && (
            <div class="empty" data-testid="audit-empty">
              <h2>{filtered ? 'Nothing matches' : 'Nothing recorded yet'}</h2>
              <p>{filtered ? 'No entry matches these filters. Widen the time range or clear the filters.' : 'Sign-ins and changes will show here as they happen.'}</p>
            </div>
          )}
          {entries && entries.length > 0 && (
            <>
              <div class="table-wrap">
                <table class="table table-stack" data-testid="audit-table">
                  <caption class="visually-hidden">Audit log, newest first</caption>
                  <thead>
                    <tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Detail</th><th scope="col">Address</th></tr>
                  </thead>
                  <tbody>
                    {entries.map((entry) => (
                      <tr key={entry.id}>
                        <td data-label="When" class="nowrap">{formatDate(entry.at)}</td>
                        <td data-label="Actor">{entry.actor}</td>
                        <td data-label="Action"><span class={actionClass(entry.action)}>{entry.action}</span></td>
                        <td data-label="Target" class="mono cell-path">{entry.target || <span class="muted">—</span>}</td>
                        <td data-label="Detail" class="cell-path">{entry.detail || <span class="muted">—</span>}</td>
                        <td data-label="Address" class="mono nowrap">{entry.address || <span class="muted">—</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div class="pager">
                <span class="muted" aria-live="polite">{entries.length} entr{entries.length === 1 ? 'y' : 'ies'} shown{next === null ? ', the oldest reached' : ''}</span>
                {next !== null && <Button onClick={() => load(applied, next)} busy={busy}>Older entries</Button>}
              </div>
            </>
          )}
        </>
      )}
    </div>
  );
}
