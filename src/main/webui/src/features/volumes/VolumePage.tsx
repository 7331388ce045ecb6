import { useState } from 'preact/hooks';
import { formatBytes } from '../../lib/formatBytes';
import { href, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import { Button, formatDate, LoadState, PageHeader } from '../../ui/components';
import { ownerOf } from '../networks/networksApi';
import { RemoveVolumeDialog } from './RemoveVolumeDialog';
import { UsedBy } from './VolumesPage';
import { volumesApi } from './volumesApi';

export function VolumePage({ params }: { params: Record<string, string> }) {
  const { data: volume, error, reload } = useResource(() => volumesApi.inspect(params.name), [params.name]);
  const { data: names } = useResource(volumesApi.containerNames, [volume]);
  const [removing, setRemoving] = useState(false);
  const isAdmin = useSession()?.role === 'admin';
  const { data: measured } = useResource(() => (isAdmin ? volumesApi.sizes() : Promise.resolve(null)), [volume, isAdmin]);
  const size = volume?.sizeBytes ?? (volume ? measured?.[volume.name] : undefined);
  const labels = Object.entries(volume?.labels ?? {});

  return (
    <div class="page">
      <nav class="breadcrumbs" aria-label="Breadcrumb"><a href={href('/volumes')}>Volumes</a> <span aria-hidden="true">/</span></nav>
      <PageHeader title={volume && !volume.anonymous ? volume.name : params.name.slice(0, 24)} documentTitle={`Volume ${params.name}`}
        actions={volume && <Button variant="danger" onClick={() => setRemoving(true)}>Remove</Button>} />
      <LoadState what="the volume" error={error} loaded={volume !== null} onRetry={reload} />
      {volume && (
        <div class="card">
          <dl class="definition-list" data-testid="volume-details">
            <dt>Name</dt><dd class="mono">{volume.name}</dd>
            <dt>Driver</dt><dd>{volume.driver}{volume.anonymous && ' (anonymous)'}</dd>
            <dt>Mountpoint</dt><dd class="mono">{volume.mountpoint}</dd>
            {typeof size === 'number' && <><dt>Size</dt><dd data-testid="volume-size">{formatBytes(size)}</dd></>}
            <dt>Used by</dt><dd><UsedBy ids={volume.usedBy} names={names ?? {}} /></dd>
            <dt>Owner</dt><dd>{ownerOf(volume) ?? 'system'}</dd>
            <dt>Created</dt><dd>{formatDate(volume.createdAt)}</dd>
            <dt>Labels</dt><dd class="mono">{labels.length === 0 ? <span class="muted">none</span> : labels.map(([k, v]) => <div key={k}>{k}={v}</div>)}</dd>
          </dl>
        </div>
      )}
      <RemoveVolumeDialog volume={removing ? volume : null} onClose={() => setRemoving(false)} onRemoved={() => navigate('/volumes')} />
    </div>
  );
}
