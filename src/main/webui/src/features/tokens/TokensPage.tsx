import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { useFormError } from '../../lib/useFormError';
import { useResource } from '../../lib/useResource';
import { Alert, Button, ConfirmDialog, Field, formatDate, PageHeader } from '../../ui/components';
import { tokensApi, type ApiToken, type CreatedToken } from './tokensApi';

const EXPIRY_CHOICES: { label: string; days: number | null }[] = [
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'Never', days: null },
];

/** The signed-in person's API tokens for scripts: create one (its secret is shown once), see when each was used, revoke. */
export function TokensPage() {
  const { data: tokens, error: loadError, reload, setData: setTokens } = useResource(tokensApi.list);
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('90');
  const [busy, setBusy] = useState(false);
  const { setError: setFormError, fail, fieldError, formError } = useFormError(['name', 'expiresInDays']);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setFormError(null);
    setNotice(null);
    setCopied(null);
    try {
      const token = await tokensApi.create(name.trim(), expiry === 'never' ? null : Number(expiry));
      setCreated(token);
      setName('');
      await reload();
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(false);
    }
  }

  async function copy(secret: string) {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('The browser did not allow copying: select the token and copy it yourself.');
    }
  }

  async function revoke() {
    const token = revoking!;
    setRevokeBusy(true);
    setRowError(null);
    try {
      await tokensApi.revoke(token.id);
      setTokens((list) => (list ?? []).filter((t) => t.id !== token.id));
      if (created?.id === token.id) setCreated(null);
      setNotice(`Token “${token.name}” revoked: scripts using it are refused from now on.`);
    } catch (caught) {
      setRowError(messageOf(caught));
    } finally {
      setRevokeBusy(false);
      setRevoking(null);
    }
  }

  return (
    <div class="page">
      <PageHeader title="API tokens"
        description={<>Tokens let scripts use Berth's REST API and terminals as you: send <code>Authorization: Bearer &lt;token&gt;</code>. A token can do what you can do; revoke it when it is no longer needed.</>} />

      <section class="card tokens-card" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <form class="form tokens-form" onSubmit={create} noValidate data-testid="new-token-form">
          {formError && <Alert>{formError}</Alert>}
          <Field id="token-name" label="Name" error={fieldError('name')} hint="What uses it, e.g. “backup script” or “CI on build-01”.">
            {(aria) => <input {...aria} class="input" name="name" autoComplete="off" maxLength={100} value={name}
              onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field id="token-expiry" label="Expires after" error={fieldError('expiresInDays')}>
            {(aria) => (
              <select {...aria} class="select" value={expiry} onChange={(e) => setExpiry(e.currentTarget.value)}>
                {EXPIRY_CHOICES.map((c) => <option key={c.label} value={c.days === null ? 'never' : String(c.days)}>{c.label}</option>)}
              </select>
            )}
          </Field>
          <div class="form-actions">
            <Button type="submit" variant="primary" busy={busy}>Create token</Button>
          </div>
        </form>
      </section>

      {created && (
        <div class="banner" data-testid="created-token">
          <Alert kind="success" title={`Token “${created.name}” created.`}>
            <p>Copy it now: Berth keeps only a hash and cannot show it again.</p>
            <div class="token-secret">
              <input class="input mono" readOnly aria-label="New API token" value={created.token}
                onFocus={(e) => e.currentTarget.select()} data-testid="token-secret" />
              <Button onClick={() => copy(created.token)}>Copy</Button>
            </div>
            <div aria-live="polite" class="muted">{copied}</div>
          </Alert>
        </div>
      )}
      <div aria-live="polite">{notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}</div>
      {rowError && <Alert title="Could not revoke the token.">{rowError}</Alert>}

      {loadError && (
        <Alert title="Could not load your tokens.">
          {loadError} <Button size="small" onClick={reload}>Retry</Button>
        </Alert>
      )}
      {!tokens && !loadError && <p class="muted">Loading tokens…</p>}
      {tokens && tokens.length === 0 && (
        <div class="empty" data-testid="tokens-empty">
          <h2>No API tokens yet</h2>
          <p>Create one above for each script or machine that talks to Berth, so you can revoke them one by one.</p>
        </div>
      )}
      {tokens && tokens.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="tokens-table">
            <caption class="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-token-name={t.name}>
                  <th scope="row">{t.name}</th>
                  <td class="mono">{t.prefix}…</td>
                  <td class="nowrap">{formatDate(t.createdAt)}</td>
                  <td class="nowrap">
                    {t.expired ? <span class="badge badge-danger">Expired</span> : t.expiresAt ? formatDate(t.expiresAt) : 'never'}
                  </td>
                  <td class="nowrap">{formatDate(t.lastUsedAt)}</td>
                  <td>
                    <div class="actions">
                      <Button size="small" variant="danger" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>Revoke</Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog title={revoking ? `Revoke “${revoking.name}”?` : 'Revoke token'} confirmLabel="Revoke" danger
        open={revoking !== null} busy={revokeBusy} onCancel={() => setRevoking(null)} onConfirm={revoke}>
        <p>Scripts using this token are refused from their next request. This cannot be undone; create a new token if
          you need one again.</p>
      </ConfirmDialog>
    </div>
  );
}
