import { useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { useResource } from '../../lib/useResource';
import { Alert, Button, ConfirmDialog, Dialog, Field, LoadState, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';
import { fromInput, isMissingApi, limitFields, quotasApi, showLimit, toInput, type Quota } from './quotasApi';

type Loaded = { available: true; quotas: Quota[] } | { available: false };

async function load(): Promise<Loaded> {
  try {
    return { available: true, quotas: await quotasApi.list() };
  } catch (caught) {
    if (isMissingApi(caught)) return { available: false };
    throw caught;
  }
}

const emptyQuota: Quota = {
  scope: 'role', name: 'user', maxRunning: null, maxMemoryBytes: null, maxNanoCpus: null, maxPids: null,
  totalMemoryBytes: null, totalNanoCpus: null, maxVolumeBytes: null,
};

function QuotaDialog({ quota, isNew, onClose, onSaved }: { quota: Quota | null; isNew: boolean; onClose: () => void; onSaved: (q: Quota) => void }) {
  const [scope, setScope] = useState<'role' | 'user'>(quota?.scope ?? 'role');
  const [name, setName] = useState(quota?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(limitFields.map((f) => [f.key, toInput(quota?.[f.key] ?? null, f.unit)])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const body: Quota = { ...emptyQuota, scope, name: name.trim() };
    if (!body.name) found.name = scope === 'role' ? 'Name the role: user or admin.' : 'Name the user this quota is for.';
    for (const field of limitFields) {
      const parsed = fromInput(values[field.key] ?? '', field.unit);
      if (typeof parsed === 'string') found[field.key] = parsed;
      else body[field.key] = parsed;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFormError(null);
    try {
      const saved = await quotasApi.save(body);
      onSaved(saved ?? body);
    } catch (caught) {
      setBusy(false);
      const field = caught instanceof ApiError ? caught.field : undefined;
      if (field && (field === 'name' || limitFields.some((f) => f.key === field))) setErrors({ [field]: messageOf(caught) });
      else setFormError(messageOf(caught));
    }
  }

  return (
    <Dialog title={isNew ? 'New quota' : `Quota of ${quota?.scope} ${quota?.name}`} labelId="quota-title" open={quota !== null} onClose={onClose}>
      <form class="form" onSubmit={submit} noValidate data-testid="quota-form">
        {formError && <Alert>{formError}</Alert>}
        {isNew && (
          <div class="form-row">
            <Field id="quota-scope" label="Applies to">
              {(aria) => (
                <select {...aria} class="select" value={scope} onChange={(e) => setScope(e.currentTarget.value as 'role' | 'user')}>
                  <option value="role">Everyone with a role</option>
                  <option value="user">One user</option>
                </select>
              )}
            </Field>
            <Field id="quota-name" label={scope === 'role' ? 'Role' : 'Username'} error={errors.name}>
              {(aria) => <input {...aria} class="input" autoComplete="off" value={name} placeholder={scope === 'role' ? 'user' : ''}
                onInput={(e) => setName(e.currentTarget.value)} />}
            </Field>
          </div>
        )}
        <p class="muted">Leave a limit empty for no limit. A user’s own quota replaces their role’s.</p>
        <div class="form-grid">
          {limitFields.map((field) => (
            <Field key={field.key} id={`quota-${field.key}`} label={field.label} hint={field.hint} error={errors[field.key]}>
              {(aria) => <input {...aria} class="input" inputMode="decimal" placeholder="unlimited" value={values[field.key]}
                onInput={(e) => setValues({ ...values, [field.key]: e.currentTarget.value })} />}
            </Field>
          ))}
        </div>
        <div class="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Save quota</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function QuotasPage() {
  const { data, error, reload, setData } = useResource(load);
  const [editing, setEditing] = useState<{ quota: Quota; isNew: boolean } | null>(null);
  const [removing, setRemoving] = useState<Quota | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const quotas = data?.available ? data.quotas : null;

  async function remove(quota: Quota) {
    setRemoving(null);
    try {
      await quotasApi.remove(quota);
      setData({ available: true, quotas: (quotas ?? []).filter((q) => !(q.scope === quota.scope && q.name === quota.name)) });
      setNotice(`Quota of ${quota.scope} ${quota.name} removed: no limits apply to it now.`);
    } catch (caught) {
      setActionError(messageOf(caught));
    }
  }

  return (
    <div class="page">
      <PageHeader title="Admin" description="Limits on what users may run: per role, or per user."
        actions={quotas && <Button variant="primary" onClick={() => setEditing({ quota: emptyQuota, isNew: true })}>New quota</Button>} />
      <AdminTabs />
      <div aria-live="polite">{notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}</div>
      {actionError && <div class="banner"><Alert title="Could not change the quota.">{actionError}</Alert></div>}
      <LoadState what="quotas" error={error} loaded={data !== null} onRetry={reload} />
      {data && !data.available && (
        <div class="empty" data-testid="quotas-unavailable">
          <h2>Quotas are not available on this server</h2>
          <p>This Berth does not offer the quotas API (<code>/api/quotas</code>) yet. Until it does, users can run as much as the machine allows;
            per-container limits can still be set when running a container.</p>
        </div>
      )}
      {quotas && quotas.length === 0 && (
        <div class="empty" data-testid="quotas-empty">
          <h2>No quotas</h2>
          <p>Nobody is limited. Add a quota for the <strong>user</strong> role to limit everyone who is not an admin, then
            per-user quotas for exceptions.</p>
          <Button variant="primary" onClick={() => setEditing({ quota: { ...emptyQuota }, isNew: true })}>New quota</Button>
        </div>
      )}
      {quotas && quotas.length > 0 && (
        <div class="table-wrap">
          <table class="table table-stack" data-testid="quotas-table">
            <caption class="visually-hidden">Quotas</caption>
            <thead>
              <tr>
                <th scope="col">Applies to</th>
                {limitFields.map((f) => <th scope="col" key={f.key} title={f.label}>{f.short}</th>)}
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {quotas.map((quota) => (
                <tr key={quota.scope + ':' + quota.name} data-quota={`${quota.scope}:${quota.name}`}>
                  <th scope="row" data-label="Applies to"><span class="badge">{quota.scope}</span> <span class="nowrap">{quota.name}</span></th>
                  {limitFields.map((f) => (
                    <td key={f.key} data-label={f.label} class={quota[f.key] === null ? 'muted nowrap' : 'nowrap'}>{showLimit(quota[f.key], f.unit)}</td>
                  ))}
                  <td>
                    <div class="actions">
                      <Button size="small" onClick={() => setEditing({ quota, isNew: false })} aria-label={`Edit quota of ${quota.scope} ${quota.name}`}>Edit</Button>
                      <Button size="small" variant="danger" onClick={() => setRemoving(quota)} aria-label={`Remove quota of ${quota.scope} ${quota.name}`}>Remove</Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <QuotaDialog key={editing.quota.scope + editing.quota.name + editing.isNew} quota={editing.quota} isNew={editing.isNew}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            const rest = (quotas ?? []).filter((q) => !(q.scope === saved.scope && q.name === saved.name));
            setData({ available: true, quotas: [...rest, saved] });
            setNotice(`Quota of ${saved.scope} ${saved.name} saved.`);
          }} />
      )}
      <ConfirmDialog title={removing ? `Remove the quota of ${removing.scope} ${removing.name}?` : 'Remove quota'} confirmLabel="Remove" danger
        open={removing !== null} onCancel={() => setRemoving(null)} onConfirm={() => remove(removing!)}>
        <p>Its limits stop applying at once{removing?.scope === 'user' ? '; the user’s role quota applies instead' : ''}. Running containers are not touched.</p>
      </ConfirmDialog>
    </div>
  );
}
