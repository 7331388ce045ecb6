/** Pull an image: a reference, then live per-layer progress from the server's NDJSON stream. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { href } from '../../lib/router';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { shortReference, startPull } from './imagesApi';
import { applyPullEvent, emptyPull, pullFinished, PullProgress, type PullState } from './PullProgress';

type Props = { open: boolean; onClose: () => void; onPulled: () => void };

export function PullDialog({ open, onClose, onPulled }: Props) {
  const [reference, setReference] = useState('');
  const [pull, setPull] = useState<PullState | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  function reset() {
    abort.current?.abort();
    abort.current = null;
    setPull(null);
    setError(null);
  }

  function close() {
    reset();
    setReference('');
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const wanted = reference.trim();
    if (!wanted) {
      setError({ field: 'reference', message: 'Give the image to pull, e.g. busybox or registry.example:5000/team/app:1.0.' });
      return;
    }
    reset();
    const controller = new AbortController();
    abort.current = controller;
    setPull(emptyPull(wanted));
    let last: PullState = emptyPull(wanted);
    try {
      await startPull(wanted, (e) => {
        last = applyPullEvent(last, e);
        setPull(last);
      }, controller.signal);
      if (last.overall?.status === 'complete') onPulled();
    } catch (caught) {
      if (controller.signal.aborted) return;
      setPull(null);
      setError({ message: messageOf(caught), field: caught instanceof ApiError && caught.status === 400 ? 'reference' : undefined });
    }
  }

  const running = pull !== null && !pullFinished(pull);
  const complete = pull?.overall?.status === 'complete';
  const failed = pull?.overall?.status === 'failed';
  const imageId = complete ? pull!.overall!.message : null;

  return (
    <Dialog title="Pull an image" labelId="pull-title" open={open} onClose={close}>
      <form class="form pull-dialog" onSubmit={submit} noValidate data-testid="pull-form">
        {error && error.field !== 'reference' && <Alert title="Could not pull.">{error.message}</Alert>}
        <Field id="pull-reference" label="Image reference" error={error?.field === 'reference' ? error.message : undefined}
          hint="[registry[:port]/]name[:tag | @sha256:digest]. Names are lowercase letters, digits and . _ - separated by /. Without a registry the image comes from Docker Hub (docker.io); without a tag, :latest.">
          {(aria) => (
            <input {...aria} class="input mono" name="reference" autoComplete="off" spellcheck={false} autoFocus
              placeholder="e.g. busybox:1.36 or registry.example:5000/team/app:1.0"
              value={reference} disabled={running} onInput={(e) => setReference(e.currentTarget.value)} />
          )}
        </Field>
        {pull && <PullProgress state={pull} compact />}
        {complete && (
          <Alert kind="success" title={`Pulled ${shortReference(pull!.reference)}.`}>
            <a href={href(`/images/${imageId!.replace(/^sha256:/, '')}`)} onClick={close}>View the image</a>
          </Alert>
        )}
        <div class="form-actions">
          {running ? (
            <Button onClick={close} title="The pull goes on on the server; it stays visible on the Images page">Continue in background</Button>
          ) : (
            <Button onClick={close}>{complete ? 'Close' : 'Cancel'}</Button>
          )}
          {!complete && (
            <Button type="submit" variant="primary" busy={running}>{failed ? 'Try again' : running ? 'Pulling…' : 'Pull'}</Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
