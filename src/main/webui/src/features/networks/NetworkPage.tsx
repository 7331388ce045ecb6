import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { href, navigate } from '../../lib/router';
import { useResource } from '../../lib/useResource';
import { Alert, Button, ConfirmDialog, formatDate, LoadState, PageHeader } from '../../ui/components';
import { networksApi, ownerOf } from './networksApi';

/** One network: its addressing and the containers attached to it with their addresses. */
export function NetworkPage({ params }: { params: Record<string, string> }) {
  const { data: network, error, reload } = useResource(() => networksApi.inspect(params.id), [params.id]);
  const [removing, setRemoving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);

  async function remove() {
    if (!network) return;
    setBusy(true);
    setRemoveError(null);
    try {
      await networksApi.remove(network.id);
      navigate('/networks');
    } catch (caught) {
      setRemoveError(messageOf(caught));
    } finally {
      setBusy(false);
      setRemoving(false);
    }
  }

  return (
    <div class="page">
      <nav class="breadcrumbs" aria-label="Breadcrumb"><a href={href('/networks')}>Networks</a> <span aria-hidden="true">/</span></nav>
      <PageHeader title={network?.name ?? params.id} documentTitle={`Network ${network?.name ?? params.id}`}
        actions={network && !network.builtin && <Button variant="danger" onClick={() => setRemoving(true)}>Remove</Button>} />
      {removeError && <div class="banner" data-testid="action-error"><Alert title="Could not remove the network.">{removeError}</Alert></div>}
      <LoadState what="the network" error={error} loaded={network !== null} onRetry={reload} />
      {network && (
        <>
          <div class="card">
            <dl class="definition-list" data-testid="network-details">
              <dt>ID</dt><dd class="mono">{network.id}</dd>
              <dt>Driver</dt><dd>{network.driver}{network.builtin && ' (built-in)'}</dd>
              <dt>Bridge</dt><dd class="mono">{network.bridge || '—'}</dd>
              <dt>Subnet</dt><dd class="mono">{network.subnet || '—'}</dd>
              <dt>Gateway</dt><dd class="mono">{network.gateway || '—'}</dd>
              <dt>Owner</dt><dd>{ownerOf(network) ?? 'system'}</dd>
              <dt>Created</dt><dd>{formatDate(network.created)}</dd>
            </dl>
          </div>
          <h2 class="section">Attached containers</h2>
          {network.containers.length === 0 ? (
            <p class="muted" data-testid="no-members">No container is attached. Run a container with this network, or connect one to it.</p>
          ) : (
            <div class="table-wrap">
              <table class="table table-stack" data-testid="network-members">
                <caption class="visually-hidden">Containers attached to {network.name}</caption>
                <thead><tr><th scope="col">Container</th><th scope="col">Address</th><th scope="col">Aliases</th></tr></thead>
                <tbody>
                  {network.containers.map((member) => (
                    <tr key={member.containerId}>
                      <th scope="row" data-label="Container">
                        <a href={href(`/containers/${member.containerId}`)}>{member.name}</a>
                        <div class="muted mono cell-sub">{member.containerId.slice(0, 12)}</div>
                      </th>
                      <td data-label="Address" class="mono">{member.ip}</td>
                      <td data-label="Aliases">{member.aliases?.length ? member.aliases.join(', ') : <span class="muted">none</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <ConfirmDialog title={`Remove network ${network?.name ?? ''}?`} confirmLabel="Remove" danger busy={busy}
        open={removing} onCancel={() => setRemoving(false)} onConfirm={remove}>
        <p>Its bridge and address range are released. Berth refuses while containers are still attached.</p>
      </ConfirmDialog>
    </div>
  );
}
