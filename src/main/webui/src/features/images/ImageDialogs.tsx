/** Tag and remove an image. Errors from the server are shown where they happen: at the field, or in the dialog. */
import { useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { imagesApi, shortReference, type RemoveResult } from './imagesApi';

export function TagDialog({ source, label, open, onClose, onTagged }: { source: string; label: string; open: boolean; onClose: () => void; onTagged: (tagged: string) => void }) {
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  function close() {
    setTarget('');
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { tagged } = await imagesApi.tag(source, target.trim());
      close();
      onTagged(tagged);
    } catch (caught) {
      setBusy(false);
      setError({ message: messageOf(caught), field: caught instanceof ApiError ? caught.field : undefined });
    }
  }

  return (
    <Dialog title={`Tag ${label}`} labelId="tag-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="tag-form">
        {error && error.field !== 'target' && <Alert>{error.message}</Alert>}
        <Field id="tag-target" label="New name" error={error?.field === 'target' ? error.message : undefined}
          hint="name[:tag], e.g. team/app:1.0 or registry.example:5000/team/app:1.0 — lowercase letters, digits, . _ - and /; the tag defaults to latest.">
          {(aria) => (
            <input {...aria} class="input mono" name="target" autoComplete="off" spellcheck={false} autoFocus
              value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!target.trim()}>Add tag</Button>
        </div>
      </form>
    </Dialog>
  );
}

type RemoveProps = {
  /** What DELETE names: a tag, or the image id to remove the image with all its tags. */
  target: string | null;
  /** What removing it does, in the user's terms. */
  description: string;
  onClose: () => void;
  onRemoved: (result: RemoveResult) => void;
};

/** Confirms a removal; a refusal (409: in use, several tags) shows the server's message and offers to force it. */
export function RemoveDialog({ target, description, onClose, onRemoved }: RemoveProps) {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function close() {
    setBusy(false);
    setRefusal(null);
    setError(null);
    onClose();
  }

  async function remove(force: boolean) {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const result = await imagesApi.remove(target, force);
      close();
      onRemoved(result);
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.status === 409) setRefusal(caught.message);
      else setError(messageOf(caught));
    }
  }

  const label = target ? (target.startsWith('sha256:') ? target.slice(7, 19) : shortReference(target)) : '';
  return (
    <Dialog title={`Remove ${label}?`} labelId="remove-title" open={target !== null} onClose={close}>
      <div class="form" data-testid="remove-dialog">
        {refusal ? (
          <Alert kind="warning" title="Berth refused:"><span data-testid="remove-refusal">{refusal}</span></Alert>
        ) : (
          <p>{description}</p>
        )}
        {error && <Alert>{error}</Alert>}
        {refusal && (
          <p class="muted">Forcing removes the names now. An image that containers use stays (untagged, shown as &lt;none&gt;) so they keep working; remove it once they are gone.</p>
        )}
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          {refusal ? (
            <Button variant="danger" busy={busy} onClick={() => remove(true)}>Force removal</Button>
          ) : (
            <Button variant="danger" busy={busy} onClick={() => remove(false)}>Remove</Button>
          )}
        </div>
      </div>
    </Dialog>
  );
}
