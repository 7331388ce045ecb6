import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { timeAgo } from '../../lib/formatBytes';
import { href } from '../../lib/router';
import { useResource } from '../../lib/useResource';
import { Alert, Button, ConfirmDialog, formatDate, LoadState, PageHeader } from '../../ui/components';
import { CreateNetworkDialog } from './CreateNetworkDialog';
import { networksApi, ownerOf, type Network } from './networksApi';

export function NetworksPage() {
  const { data: networks, error: loadError, loading, reload, setData } = useResource(networksApi.list);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<Network | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ title: string; message: string } | null>(null);

  async function remove(network: Network) {
    setBusy(true);
    setActionError(null);
    try {
      await networksApi.remove(network.id);
      setData((list) => (list ?? []).filter((n) => n.id !== network.id));
      setNotice(`Network ${network.name} removed.`);
    } catch (caught) {
      setActionError({ title: `Could not remove ${network.name}.`, message: messageOf(caught) });
    } finally {
      setBusy(false);
      setRemoving(null);
    }
  }

  return (
    <div class="page">
      <PageHeader title="Networks"
        description="Bridge networks connect containers to each other by name and to ports published on this machine."
        actions={<>
          <Button onClick={reload} busy={loading && networks !== null}>Refresh</Button>
          <Button variant="primary" onClick={() => setCreating(true)}>New network</Button>
        </>} />
      <div aria-live="polite">
        {notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}
      </div>
      {actionError && <div class="banner" data-testid="action-error"><Alert title={actionError.title}>{actionError.message}</Alert></div>}
      <LoadState what="networks" error={loadError} loaded={networks !== null} onRetry={reload} />
      {networks && networks.length === 0 && (
        <div class="empty">
          <h2>No networks yet</h2>
          <p>Create a network, then run containers on it: they reach each other by name and stay apart from other networks.</p>
          <Button variant="primary" onClick={() => setCreating(true)}>New network</Button>
        </div>
      )}
      {networks && networks.length > 0 && (
        <div class="table-wrap">
          <table class="table table-stack" data-testid="networks-table">
            <caption class="visually-hidden">Networks</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Driver</th>
                <th scope="col">Subnet</th>
                <th scope="col">Gateway</th>
                <th scope="col">Containers</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {networks.map((network) => (
                <tr key={network.id} data-network={network.name}>
                  <th scope="row" data-label="Name">
                    <a href={href(`/networks/${encodeURIComponent(network.id)}`)}>{network.name}</a>
                    {network.builtin && <> <span class="badge">built-in</span></>}
                    <div class="muted mono cell-sub">{network.id.slice(0, 12)}</div>
                  </th>
                  <td data-label="Driver">{network.driver}</td>
                  <td data-label="Subnet" class="mono nowrap">{network.subnet || '—'}</td>
                  <td data-label="Gateway" class="mono nowrap">{network.gateway || '—'}</td>
                  <td data-label="Containers">{network.containers.length === 0 ? <span class="muted">none</span>
                    : network.containers.map((c) => c.name).join(', ')}</td>
                  <td data-label="Owner">{ownerOf(network) ?? <span class="muted">system</span>}</td>
                  <td data-label="Created" class="nowrap" title={formatDate(network.created)}>{timeAgo(network.created)}</td>
                  <td>
                    <div class="actions">
                      {!network.builtin && (
                        <Button size="small" variant="danger" onClick={() => setRemoving(network)} aria-label={`Remove network ${network.name}`}>Remove</Button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateNetworkDialog open={creating} onClose={() => setCreating(false)}
        onCreated={(network) => {
          setData((list) => [...(list ?? []), network]);
          setActionError(null);
          setNotice(`Network ${network.name} created (${network.subnet}). Run containers on it with --network ${network.name}.`);
        }} />
      <ConfirmDialog title={removing ? `Remove network ${removing.name}?` : 'Remove network'} confirmLabel="Remove" danger busy={busy}
        open={removing !== null} onCancel={() => setRemoving(null)} onConfirm={() => remove(removing!)}>
        <p>Its bridge and address range are released. Berth refuses while containers are still attached: disconnect or remove them first.</p>
      </ConfirmDialog>
    </div>
  );
}
