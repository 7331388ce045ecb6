/** The image list: one row per tag (untagged images as <none>), sortable, filterable, with running pulls on top. */
import { useMemo, useState } from 'preact/hooks';
import { href } from '../../lib/router';
import { useResource } from '../../lib/useResource';
import { Alert, Button, LoadState, PageHeader } from '../../ui/components';
import { ImportDialog } from './ImportDialog';
import { formatBytes, formatRelative, imagesApi, shortId, splitTag, type ImageItem } from './imagesApi';
import { PullDialog } from './PullDialog';
import { PullProgress } from './PullProgress';
import { useRunningPulls } from './useRunningPulls';
import './images.css';

type Row = { key: string; image: ImageItem; repository: string; tag: string; reference: string | null };
type SortKey = 'repository' | 'tag' | 'size' | 'created';
type Sort = { key: SortKey; descending: boolean };

function rowsOf(images: ImageItem[]): Row[] {
  return images.flatMap((image): Row[] => image.tags.length === 0
    ? [{ key: image.id, image, repository: '<none>', tag: '<none>', reference: null }]
    : image.tags.map((reference) => ({ key: `${image.id} ${reference}`, image, reference, ...splitTag(reference) })));
}

function compare(a: Row, b: Row, key: SortKey): number {
  switch (key) {
    case 'size': return a.image.size - b.image.size;
    case 'created': return (a.image.created || '').localeCompare(b.image.created || '');
    case 'tag': return a.tag.localeCompare(b.tag, undefined, { numeric: true }) || a.repository.localeCompare(b.repository);
    default: return a.repository.localeCompare(b.repository) || a.tag.localeCompare(b.tag, undefined, { numeric: true });
  }
}

function matches(row: Row, filter: string): boolean {
  if (!filter) return true;
  const text = `${row.repository}:${row.tag} ${row.reference ?? ''} ${row.image.id} ${row.image.usedBy.map((c) => c.name).join(' ')}`.toLowerCase();
  return filter.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

function SortHeader({ label, column, sort, onSort }: { label: string; column: SortKey; sort: Sort; onSort: (key: SortKey) => void }) {
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="sort-button" onClick={() => onSort(column)}>
        {label}<span class="sort-mark" aria-hidden="true">{active ? (sort.descending ? '▼' : '▲') : '↕'}</span>
      </button>
    </th>
  );
}

function UsedBy({ image }: { image: ImageItem }) {
  if (image.usedBy.length === 0 && image.usedByOthers === 0) return <span class="muted">—</span>;
  return (
    <div class="chips">
      {image.usedBy.map((c) => (
        <a key={c.id} class="chip" href={href(`/containers/${c.id}`)} title={`Container ${c.name} (${c.id.slice(0, 12)})`}>{c.name}</a>
      ))}
      {image.usedByOthers > 0 && (
        <span class="chip chip-muted" title="Containers of other users">{image.usedBy.length > 0 ? '+' : ''}{image.usedByOthers} other{image.usedByOthers === 1 ? '' : 's'}</span>
      )}
    </div>
  );
}

export function ImagesPage() {
  const { data: images, error: loadError, reload } = useResource(imagesApi.list);
  const { pulls, error: pullsError, dismiss } = useRunningPulls(() => reload());
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'created', descending: true });
  const [pulling, setPulling] = useState(false);
  const [importing, setImporting] = useState(false);

  const rows = useMemo(() => {
    const all = rowsOf(images ?? []).filter((row) => matches(row, filter.trim()));
    all.sort((a, b) => (sort.descending ? -1 : 1) * compare(a, b, sort.key));
    return all;
  }, [images, filter, sort]);

  function onSort(key: SortKey) {
    setSort((current) => (current.key === key ? { key, descending: !current.descending } : { key, descending: key === 'created' || key === 'size' }));
  }

  const total = images?.length ?? 0;
  const totalSize = (images ?? []).reduce((sum, image) => sum + image.size, 0);

  return (
    <div class="page">
      <PageHeader
        title="Images"
        description="Container images stored on this machine: what they are, how big, and which containers use them."
        actions={<>
          <Button onClick={() => setImporting(true)}>Import archive</Button>
          <Button variant="primary" onClick={() => setPulling(true)}>Pull image</Button>
        </>}
      />
      {pulls.length > 0 && (
        <section class="card pulls-card" aria-labelledby="running-pulls" data-testid="running-pulls">
          <h2 id="running-pulls" class="card-title">Pulls in progress</h2>
          <div class="pulls">
            {pulls.map((pull) => (
              <div key={pull.id} class="pull-item">
                <PullProgress state={pull} />
                {pull.overall?.status === 'failed' && (
                  <Button size="small" onClick={() => dismiss(pull.id!)}>Dismiss</Button>
                )}
              </div>
            ))}
          </div>
        </section>
      )}
      {pullsError && <div class="banner"><Alert kind="warning" title="Could not follow running pulls.">{pullsError}</Alert></div>}
      <LoadState what="images" error={loadError} loaded={images !== null} onRetry={reload} />
      {images && images.length === 0 && (
        <div class="empty" data-testid="images-empty">
          <h2>No images yet</h2>
          <p>Containers start from images. Get one into Berth to begin:</p>
          <ul>
            <li><strong>Pull</strong> it from a registry, e.g. <code>busybox</code> or <code>registry.example:5000/team/app:1.0</code>.</li>
            <li><strong>Import</strong> an archive made with <code>docker save</code> or an OCI image layout tarball.</li>
          </ul>
          <div class="form-actions" style={{ justifyContent: 'flex-start' }}>
            <Button variant="primary" onClick={() => setPulling(true)}>Pull image</Button>
            <Button onClick={() => setImporting(true)}>Import archive</Button>
          </div>
        </div>
      )}
      {images && images.length > 0 && (
        <>
          <div class="toolbar">
            <label class="visually-hidden" for="image-filter">Filter images</label>
            <input id="image-filter" class="input filter-input" type="search" placeholder="Filter by name, tag, id or container"
              value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
            <span class="muted toolbar-summary" aria-live="polite">
              {filter ? `${rows.length} matching · ` : ''}{total} image{total === 1 ? '' : 's'} · {formatBytes(totalSize)}
            </span>
          </div>
          <div class="table-wrap">
            <table class="table images-table" data-testid="images-table">
              <caption class="visually-hidden">Local images</caption>
              <thead>
                <tr>
                  <SortHeader label="Repository" column="repository" sort={sort} onSort={onSort} />
                  <SortHeader label="Tag" column="tag" sort={sort} onSort={onSort} />
                  <th scope="col">Image ID</th>
                  <SortHeader label="Size" column="size" sort={sort} onSort={onSort} />
                  <SortHeader label="Created" column="created" sort={sort} onSort={onSort} />
                  <th scope="col">Used by</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key} data-testid="image-row" data-reference={row.reference ?? ''} data-id={row.image.id}>
                    <th scope="row">
                      <a class="image-link" href={href(`/images/${row.image.id.replace(/^sha256:/, '')}${row.reference ? `?tag=${encodeURIComponent(row.reference)}` : ''}`)}>{row.repository}</a>
                    </th>
                    <td><span class="tag-pill">{row.tag}</span></td>
                    <td class="mono nowrap" title={row.image.id}>{shortId(row.image.id)}</td>
                    <td class="nowrap num">{formatBytes(row.image.size)}</td>
                    <td class="nowrap" title={row.image.created}>{formatRelative(row.image.created)}</td>
                    <td><UsedBy image={row.image} /></td>
                  </tr>
                ))}
                {rows.length === 0 && (
                  <tr><td colSpan={6} class="muted">No image matches “{filter}”. <Button size="small" variant="ghost" onClick={() => setFilter('')}>Clear the filter</Button></td></tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
      <PullDialog open={pulling} onClose={() => setPulling(false)} onPulled={() => reload()} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={() => reload()} />
    </div>
  );
}
