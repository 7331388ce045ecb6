import { useState } from 'preact/hooks';
import { formatBytes, timeAgo } from '../../lib/formatBytes';
import { href } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import { Alert, Button, formatDate, LoadState, PageHeader } from '../../ui/components';
import { ownerOf } from '../networks/networksApi';
import { CreateVolumeDialog } from './CreateVolumeDialog';
import { RemoveVolumeDialog } from './RemoveVolumeDialog';
import { volumesApi, type Volume } from './volumesApi';

export function UsedBy({ ids, names }: { ids: string[]; names: Record<string, string> }) {
  if (ids.length === 0) return <span class="muted">unused</span>;
  return (
    <>
      {ids.map((id, index) => (
        <span key={id}>{index > 0 && ', '}<a href={href(`/containers/${id}`)}>{names[id] ?? id.slice(0, 12)}</a></span>
      ))}
    </>
  );
}

export function VolumesPage() {
  const { data: volumes, error: loadError, loading, reload, setData } = useResource(volumesApi.list);
  const { data: names } = useResource(volumesApi.containerNames, [volumes]);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<Volume | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const isAdmin = useSession()?.role === 'admin';
  const { data: measured } = useResource(() => (isAdmin ? volumesApi.sizes() : Promise.resolve(null)), [volumes, isAdmin]);
  const sizeOf = (volume: Volume) => volume.sizeBytes ?? measured?.[volume.name] ?? null;
  const hasSizes = (volumes?.some((v) => typeof v.sizeBytes === 'number') ?? false) || measured != null;

  return (
    <div class="page">
      <PageHeader title="Volumes" description="Named volumes keep data that outlives the containers using it."
        actions={<>
          <Button onClick={reload} busy={loading && volumes !== null}>Refresh</Button>
          <Button variant="primary" onClick={() => setCreating(true)}>New volume</Button>
        </>} />
      <div aria-live="polite">
        {notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}
      </div>
      <LoadState what="volumes" error={loadError} loaded={volumes !== null} onRetry={reload} />
      {volumes && volumes.length === 0 && (
        <div class="empty">
          <h2>No volumes yet</h2>
          <p>Create a volume and mount it when you run a container; its data stays when the container is removed.</p>
          <Button variant="primary" onClick={() => setCreating(true)}>New volume</Button>
        </div>
      )}
      {volumes && volumes.length > 0 && (
        <div class="table-wrap">
          <table class="table table-stack" data-testid="volumes-table">
            <caption class="visually-hidden">Volumes</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Driver</th>
                <th scope="col">Mountpoint</th>
                {hasSizes && <th scope="col">Size</th>}
                <th scope="col">Used by</th>
                <th scope="col">Owner</th>
                <th scope="col">Created</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {volumes.map((volume) => (
                <tr key={volume.name} data-volume={volume.name}>
                  <th scope="row" data-label="Name">
                    <a href={href(`/volumes/${encodeURIComponent(volume.name)}`)} class={volume.anonymous ? 'mono' : undefined}
                      title={volume.name}>{volume.anonymous ? volume.name.slice(0, 12) : volume.name}</a>
                    {volume.anonymous && <> <span class="badge">anonymous</span></>}
                  </th>
                  <td data-label="Driver">{volume.driver}</td>
                  <td data-label="Mountpoint" class="mono cell-path">{volume.mountpoint}</td>
                  {hasSizes && <td data-label="Size" class="nowrap">{formatBytes(sizeOf(volume))}</td>}
                  <td data-label="Used by"><UsedBy ids={volume.usedBy} names={names ?? {}} /></td>
                  <td data-label="Owner">{ownerOf(volume) ?? <span class="muted">system</span>}</td>
                  <td data-label="Created" class="nowrap" title={formatDate(volume.createdAt)}>{timeAgo(volume.createdAt)}</td>
                  <td>
                    <div class="actions">
                      <Button size="small" variant="danger" onClick={() => setRemoving(volume)} aria-label={`Remove volume ${volume.name}`}>Remove</Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <CreateVolumeDialog open={creating} onClose={() => setCreating(false)}
        onCreated={(volume) => {
          setData((list) => [...(list ?? []).filter((v) => v.name !== volume.name), volume].sort((a, b) => a.name.localeCompare(b.name)));
          setNotice(`Volume ${volume.name} created. Mount it when you run a container.`);
        }} />
      <RemoveVolumeDialog volume={removing} onClose={() => setRemoving(null)}
        onRemoved={(volume) => {
          setRemoving(null);
          setData((list) => (list ?? []).filter((v) => v.name !== volume.name));
          setNotice(`Volume ${volume.name} removed.`);
        }} />
    </div>
  );
}
