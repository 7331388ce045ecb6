/** Import a docker save or OCI layout tarball, with an upload progress bar (XHR upload events). */
import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { formatBytes, shortReference, uploadArchive, type UploadHandle } from './imagesApi';

type Props = { open: boolean; onClose: () => void; onImported: () => void };
type Phase = 'choose' | 'uploading' | 'loading' | 'done' | 'failed';

export function ImportDialog({ open, onClose, onImported }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('choose');
  const [sent, setSent] = useState(0);
  const [loaded, setLoaded] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const upload = useRef<UploadHandle | null>(null);

  function close() {
    if (phase === 'uploading') upload.current?.abort();
    upload.current = null;
    setFile(null);
    setPhase('choose');
    setSent(0);
    setLoaded([]);
    setError(null);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!file) {
      setError('Choose an archive first.');
      return;
    }
    setError(null);
    setSent(0);
    setPhase('uploading');
    const handle = uploadArchive(file, (bytes) => {
      setSent(bytes);
      if (bytes >= file.size) setPhase('loading');
    });
    upload.current = handle;
    try {
      const result = await handle.promise;
      setLoaded(result.loaded);
      setPhase('done');
      onImported();
    } catch (caught) {
      if (upload.current !== handle) return; // closed meanwhile
      setError(messageOf(caught));
      setPhase('failed');
    }
  }

  const total = file?.size ?? 0;
  const percent = total > 0 ? Math.min(100, Math.floor((sent / total) * 100)) : 0;
  const busy = phase === 'uploading' || phase === 'loading';

  return (
    <Dialog title="Import an image archive" labelId="import-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="import-form">
        {error && phase === 'failed' && <Alert title="The import failed.">{error}</Alert>}
        <Field id="import-file" label="Archive" error={phase === 'choose' ? error ?? undefined : undefined}
          hint="A tar made with docker save (or podman save), or an OCI image layout packed as tar. Every image in it is loaded with its tags.">
          {(aria) => (
            <input {...aria} class="input" type="file" accept=".tar,application/x-tar" disabled={busy}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                setPhase('choose');
                setError(null);
              }} />
          )}
        </Field>
        {phase !== 'choose' && file && (
          <div class="upload">
            <div class="pull-head">
              <span class="pull-headline">
                {phase === 'uploading' && 'Uploading…'}
                {phase === 'loading' && 'Uploaded; loading the images…'}
                {phase === 'done' && 'Imported'}
                {phase === 'failed' && 'Not imported'}
              </span>
              <span class="muted">{formatBytes(sent)} / {formatBytes(total)}</span>
            </div>
            <div class={`progress ${phase === 'done' ? 'progress-done' : phase === 'failed' ? 'progress-error' : 'progress-active'}`}
              role="progressbar" aria-label={`Upload of ${file.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}
              aria-valuetext={`${percent}%, ${formatBytes(sent)} of ${formatBytes(total)}`}>
              <div class="progress-fill" style={{ width: `${percent}%` }} />
            </div>
          </div>
        )}
        {phase === 'done' && (
          <Alert kind="success" title={loaded.length === 1 ? 'Loaded 1 image:' : `Loaded ${loaded.length} images:`}>
            <ul class="plain-list" data-testid="imported">
              {loaded.map((ref) => <li key={ref} class="mono">{ref.startsWith('sha256:') ? ref : shortReference(ref)}</li>)}
            </ul>
          </Alert>
        )}
        <div class="form-actions">
          <Button onClick={close}>{phase === 'done' ? 'Close' : 'Cancel'}</Button>
          {phase !== 'done' && <Button type="submit" variant="primary" busy={busy} disabled={!file}>Import</Button>}
        </div>
      </form>
    </Dialog>
  );
}
