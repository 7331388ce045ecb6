/** One image: its configuration, layers and history; tag, export and remove it. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { currentQuery, href, navigate } from '../../lib/router';
import { useResource } from '../../lib/useResource';
import { Alert, Button, formatDate, PageHeader } from '../../ui/components';
import { RemoveDialog, TagDialog } from './ImageDialogs';
import { formatBytes, formatRelative, imagesApi, shortId, shortReference, type ImageDetails, type ImageItem } from './imagesApi';
import './images.css';

function Value({ items, empty = 'none' }: { items: string[]; empty?: string }) {
  if (items.length === 0) return <span class="muted">{empty}</span>;
  return <ul class="plain-list">{items.map((item) => <li key={item} class="mono">{item}</li>)}</ul>;
}

function Argv({ argv }: { argv: string[] }) {
  if (argv.length === 0) return <span class="muted">none</span>;
  return <code class="argv">{JSON.stringify(argv)}</code>;
}

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return <><dt>{label}</dt><dd>{children}</dd></>;
}

async function load(id: string): Promise<{ image: ImageDetails; usage: ImageItem | null }> {
  const [image, list] = await Promise.all([imagesApi.inspect(`sha256:${id}`), imagesApi.list().catch(() => [] as ImageItem[])]);
  return { image, usage: list.find((item) => item.id === image.id) ?? null };
}

export function ImageDetailPage({ params }: { params: Record<string, string> }) {
  const id = params.id.replace(/^sha256:/, '');
  const { data, error, reload } = useResource(() => load(id), [id]);
  const [tagging, setTagging] = useState(false);
  const [removing, setRemoving] = useState<{ target: string; description: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (error) {
    return (
      <div class="page">
        <PageHeader title="Image" />
        <Alert title="Could not load the image.">{error} <a href={href('/images')}>Back to Images</a></Alert>
      </div>
    );
  }
  if (!data) return <div class="page"><p class="muted">Loading the image…</p></div>;

  const { image, usage } = data;
  // the name the user came by (?tag= from the list) stays the title while the image has it
  const wanted = currentQuery().get('tag');
  const name = wanted && image.tags.includes(wanted) ? wanted : image.tags[0];
  const title = name ? shortReference(name) : shortId(image.id);
  const exportRef = name ?? image.id;
  const config = image.config;
  const labels = Object.entries(config.labels ?? {});

  function removeImage() {
    if (image.tags.length <= 1) {
      setRemoving({ target: name ?? image.id,
        description: 'The image is deleted, with its layers unless another image shares them. Containers need their image: Berth refuses while one uses it.' });
    } else {
      setRemoving({ target: image.id,
        description: `The image and all its ${image.tags.length} names (${image.tags.map(shortReference).join(', ')}) are deleted.` });
    }
  }

  return (
    <div class="page image-detail">
      <p class="breadcrumb"><a href={href('/images')}>Images</a> / <span class="mono">{shortId(image.id)}</span></p>
      <PageHeader
        title={title}
        documentTitle={`${title} · Images`}
        description={<span class="mono">{image.id}</span>}
        actions={<>
          <Button onClick={() => setTagging(true)}>Tag</Button>
          <a class="btn" href={imagesApi.exportUrl(exportRef)} download data-testid="export-image">Export</a>
          <Button variant="danger" onClick={removeImage}>Remove</Button>
        </>}
      />
      <div aria-live="polite">{notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}</div>

      <section class="card" aria-labelledby="overview-title">
        <h2 id="overview-title" class="card-title">Overview</h2>
        <dl class="definition-list">
          <Row label="Tags">
            {image.tags.length === 0 ? <span class="muted">none (dangling image)</span> : (
              <div class="chips" data-testid="image-tags">
                {image.tags.map((tag) => (
                  <span key={tag} class="chip chip-tag" data-tag={tag}>
                    <span class="mono">{shortReference(tag)}</span>
                    {image.tags.length > 1 && (
                      <button type="button" class="chip-remove" aria-label={`Remove tag ${shortReference(tag)}`} title="Remove this tag"
                        onClick={() => setRemoving({ target: tag, description: 'Only this name is removed; the image stays under its other names.' })}>×</button>
                    )}
                  </span>
                ))}
              </div>
            )}
          </Row>
          <Row label="Size">{formatBytes(image.size)} <span class="muted">({image.size.toLocaleString()} bytes in {image.layers.length} layer{image.layers.length === 1 ? '' : 's'})</span></Row>
          <Row label="Created">{image.created ? <>{formatRelative(image.created)} <span class="muted">({formatDate(image.created)})</span></> : <span class="muted">unknown</span>}</Row>
          <Row label="Platform">{[image.os, image.architecture].filter(Boolean).join('/') || <span class="muted">unknown</span>}</Row>
          {image.author && <Row label="Author">{image.author}</Row>}
          <Row label="Used by">
            {!usage || (usage.usedBy.length === 0 && usage.usedByOthers === 0) ? <span class="muted">no container</span> : (
              <div class="chips">
                {usage.usedBy.map((c) => <a key={c.id} class="chip" href={href(`/containers/${c.id}`)}>{c.name}</a>)}
                {usage.usedByOthers > 0 && <span class="chip chip-muted">{usage.usedByOthers} container{usage.usedByOthers === 1 ? '' : 's'} of other users</span>}
              </div>
            )}
          </Row>
          <Row label="Repo digests"><Value items={image.repoDigests} empty="none (not pulled from a registry)" /></Row>
          <Row label="Manifest"><span class="mono">{image.manifestDigest || '—'}</span></Row>
        </dl>
      </section>

      <section class="card" aria-labelledby="config-title" data-testid="image-config">
        <h2 id="config-title" class="card-title">Configuration</h2>
        <p class="muted card-hint">What a container of this image runs by default; each can be overridden when you create one.</p>
        <dl class="definition-list">
          <Row label="Entrypoint"><Argv argv={config.entrypoint} /></Row>
          <Row label="Command"><Argv argv={config.cmd} /></Row>
          <Row label="Working directory"><span class="mono">{config.workingDir || '/'}</span></Row>
          <Row label="User"><span class="mono">{config.user || 'root'}</span></Row>
          <Row label="Exposed ports"><Value items={config.exposedPorts} /></Row>
          <Row label="Volumes"><Value items={config.volumes} /></Row>
          <Row label="Environment"><Value items={config.env} /></Row>
          <Row label="Labels">
            {labels.length === 0 ? <span class="muted">none</span> : (
              <ul class="plain-list">{labels.map(([k, v]) => <li key={k} class="mono">{k}=<span>{v}</span></li>)}</ul>
            )}
          </Row>
          {config.stopSignal && <Row label="Stop signal"><span class="mono">{config.stopSignal}</span></Row>}
        </dl>
      </section>

      <section class="card" aria-labelledby="layers-title">
        <h2 id="layers-title" class="card-title">Layers</h2>
        <div class="table-wrap flat">
          <table class="table" data-testid="image-layers">
            <thead><tr><th scope="col">#</th><th scope="col">Digest</th><th scope="col">Media type</th><th scope="col" class="num">Size</th></tr></thead>
            <tbody>
              {image.layers.map((layer, index) => (
                <tr key={layer.digest}>
                  <td class="muted">{index + 1}</td>
                  <td class="mono" title={`diff id ${layer.diffId}`}>{layer.digest}</td>
                  <td class="muted small">{layer.mediaType}</td>
                  <td class="num nowrap">{formatBytes(layer.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title" class="card-title">History</h2>
        {image.history.length === 0 ? <p class="muted">The image carries no build history.</p> : (
          <div class="table-wrap flat">
            <table class="table" data-testid="image-history">
              <thead><tr><th scope="col">Created</th><th scope="col">Created by</th><th scope="col">Layer</th></tr></thead>
              <tbody>
                {image.history.map((step, index) => (
                  <tr key={index}>
                    <td class="nowrap" title={step.created}>{step.created ? formatRelative(step.created) : '—'}</td>
                    <td class="mono history-cmd">{step.createdBy || step.comment || '—'}</td>
                    <td class="muted">{step.emptyLayer ? 'no layer' : 'layer'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <TagDialog source={image.id} label={title} open={tagging} onClose={() => setTagging(false)}
        onTagged={(tagged) => {
          setNotice(`Tagged as ${shortReference(tagged)}.`);
          reload();
        }} />
      <RemoveDialog target={removing?.target ?? null} description={removing?.description ?? ''} onClose={() => setRemoving(null)}
        onRemoved={(result) => {
          if (result.deleted.length > 0) navigate('/images');
          else {
            const names = result.untagged.map(shortReference).join(', ');
            const kept = result.untagged.length >= image.tags.length;
            setNotice(kept
              ? `Removed ${names}. The image stays while containers use it; remove it once they are gone.`
              : `Removed the tag ${names}.`);
            reload();
          }
        }} />
    </div>
  );
}
