/**
 * Share a terminal: grants to named users (on all terminals of the container) and share links (one terminal,
 * secret URL shown once). Servers without the sharing endpoints answer 404/405: we say so plainly.
 */
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert, Button, Dialog, formatDate } from '../../ui/components';
import { containerOf, isMissingEndpoint, terminalsApi, type Grant, type ShareLink } from './terminalsApi';

const UNAVAILABLE = 'Sharing is not available on this server: it does not offer the sharing endpoints (grants and links) yet.';

function GrantsSection({ containerId }: { containerId: string | null }) {
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [user, setUser] = useState('');
  const [role, setRole] = useState<Grant['role']>('view');
  const [busy, setBusy] = useState(false);

  async function load() {
    if (!containerId) return;
    try {
      setGrants(await terminalsApi.grants(containerId));
      setError(null);
    } catch (caught) {
      if (isMissingEndpoint(caught)) setUnavailable(true);
      else setError(messageOf(caught));
    }
  }
  useEffect(() => {
    load();
  }, [containerId]);

  async function add(event: Event) {
    event.preventDefault();
    if (!containerId || !user.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await terminalsApi.grant(containerId, user.trim(), role);
      setUser('');
      await load();
    } catch (caught) {
      if (isMissingEndpoint(caught)) setUnavailable(true);
      else setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  async function change(g: Grant, newRole: Grant['role'] | null) {
    if (!containerId) return;
    setError(null);
    try {
      if (newRole) await terminalsApi.grant(containerId, g.user, newRole);
      else await terminalsApi.revokeGrant(containerId, g.user);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <section class="share-section" aria-labelledby="share-people">
      <h3 id="share-people">People</h3>
      {!containerId && <p class="muted">Grants apply to a container’s terminals. Open this terminal from its container to manage who may use it.</p>}
      {unavailable && <Alert kind="info">{UNAVAILABLE}</Alert>}
      {error && <Alert>{error}</Alert>}
      {containerId && !unavailable && (
        <>
          {grants && grants.length === 0 && <p class="muted">Nobody else has access yet. Add someone by their user name.</p>}
          {grants && grants.length > 0 && (
            <ul class="share-list">
              {grants.map((g) => (
                <li key={g.user}>
                  <span><strong>{g.user}</strong> <span class="muted">granted by {g.grantedBy}</span></span>
                  <select class="select select-inline" aria-label={`Access of ${g.user}`} value={g.role}
                    onChange={(e) => change(g, e.currentTarget.value as Grant['role'])}>
                    <option value="view">Can watch</option>
                    <option value="drive">Can type</option>
                  </select>
                  <Button size="small" variant="ghost" onClick={() => change(g, null)}>Remove</Button>
                </li>
              ))}
            </ul>
          )}
          <form class="share-form" onSubmit={add}>
            <label class="visually-hidden" for="grant-user">User name</label>
            <input id="grant-user" class="input" placeholder="User name" value={user} autocomplete="off"
              onInput={(e) => setUser(e.currentTarget.value)} />
            <label class="visually-hidden" for="grant-role">Access</label>
            <select id="grant-role" class="select select-inline" value={role} onChange={(e) => setRole(e.currentTarget.value as Grant['role'])}>
              <option value="view">Can watch</option>
              <option value="drive">Can type</option>
            </select>
            <Button type="submit" size="small" variant="primary" busy={busy} disabled={!user.trim()}>Add</Button>
          </form>
        </>
      )}
    </section>
  );
}

function LinksSection({ terminalId }: { terminalId: string }) {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ShareLink | null>(null);
  const [role, setRole] = useState<ShareLink['role']>('view');
  const [expires, setExpires] = useState(3600);
  const [maxUses, setMaxUses] = useState('');
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  async function load() {
    try {
      setLinks(await terminalsApi.links(terminalId));
    } catch (caught) {
      if (isMissingEndpoint(caught)) setUnavailable(true);
      else setError(messageOf(caught));
    }
  }
  useEffect(() => {
    load();
  }, [terminalId]);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const uses = maxUses.trim() ? Number(maxUses) : null;
      setCreated(await terminalsApi.createLink(terminalId, role, expires, uses));
      await load();
    } catch (caught) {
      if (isMissingEndpoint(caught)) setUnavailable(true);
      else setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(link: ShareLink) {
    setError(null);
    try {
      await terminalsApi.revokeLink(link.id);
      if (created?.id === link.id) setCreated(null);
      await load();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <section class="share-section" aria-labelledby="share-links">
      <h3 id="share-links">Links</h3>
      {unavailable ? <Alert kind="info">{UNAVAILABLE}</Alert> : (
        <>
          <p class="muted">Anyone with a link joins this terminal under a name they choose, until it expires or you revoke it.</p>
          {error && <Alert>{error}</Alert>}
          {created?.url && (
            <div class="share-created" data-testid="share-link">
              <Alert kind="success" title="Link created.">Copy it now: it is shown only once.</Alert>
              <div class="share-url">
                <input class="input mono" readOnly value={created.url} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
                <Button size="small" onClick={async () => {
                  try { await navigator.clipboard.writeText(created.url!); setCopied(true); } catch { setError('The browser did not allow copying: select the link and copy it.'); }
                }}>{copied ? 'Copied' : 'Copy'}</Button>
              </div>
            </div>
          )}
          <form class="share-form" onSubmit={create}>
            <label class="inline-field"><span>Access</span>
              <select class="select select-inline" value={role} onChange={(e) => setRole(e.currentTarget.value as ShareLink['role'])}>
                <option value="view">Can watch</option>
                <option value="drive">Can type</option>
              </select>
            </label>
            <label class="inline-field"><span>Expires in</span>
              <select class="select select-inline" value={String(expires)} onChange={(e) => setExpires(Number(e.currentTarget.value))}>
                <option value="900">15 minutes</option>
                <option value="3600">1 hour</option>
                <option value="86400">1 day</option>
                <option value="604800">7 days</option>
              </select>
            </label>
            <label class="inline-field"><span>Max uses</span>
              <input class="input input-narrow" inputMode="numeric" pattern="[0-9]*" placeholder="any" value={maxUses}
                onInput={(e) => setMaxUses(e.currentTarget.value)} />
            </label>
            <Button type="submit" size="small" variant="primary" busy={busy}>Create link</Button>
          </form>
          {links && links.length > 0 && (
            <ul class="share-list">
              {links.map((l) => (
                <li key={String(l.id)}>
                  <span>
                    {l.role === 'drive' ? 'Can type' : 'Can watch'} · {l.uses}{l.maxUses ? `/${l.maxUses}` : ''} uses · expires {formatDate(l.expiresAt)}
                    {l.state && l.state !== 'active' && <> <span class="badge">{l.state}</span></>}
                  </span>
                  {(!l.state || l.state === 'active') && <Button size="small" variant="ghost" onClick={() => revoke(l)}>Revoke</Button>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

export function ShareDialog({ terminalId, open, onClose }: { terminalId: string; open: boolean; onClose: () => void }) {
  const [containerId, setContainerId] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (!open) return;
    terminalsApi.get(terminalId)
      .then((info) => setContainerId(info.containerId ?? containerOf(terminalId)))
      .catch(() => setContainerId(containerOf(terminalId)));
  }, [open, terminalId]);
  return (
    <Dialog title="Share this terminal" labelId={`share-title-${terminalId}`} open={open} onClose={onClose}>
      <div class="share" data-testid="share-dialog">
        {open && containerId !== undefined && <GrantsSection containerId={containerId} />}
        {open && <LinksSection terminalId={terminalId} />}
        <div class="form-actions"><Button onClick={onClose}>Done</Button></div>
      </div>
    </Dialog>
  );
}
