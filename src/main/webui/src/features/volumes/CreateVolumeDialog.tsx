import { useState } from 'preact/hooks';
import { useFormError } from '../../lib/useFormError';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { volumesApi, type Volume } from './volumesApi';

/** Parses "key=value" lines; returns the labels or the first bad line. */
function parseLabels(text: string): Record<string, string> | string {
  const labels: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return line;
    labels[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return labels;
}

export function CreateVolumeDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (volume: Volume) => void }) {
  const [name, setName] = useState('');
  const [labels, setLabels] = useState('');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['name', 'labels']);

  function close() {
    setName('');
    setLabels('');
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    const parsed = parseLabels(labels);
    if (typeof parsed === 'string') {
      setError({ field: 'labels', message: `“${parsed}” is not a label: write one key=value per line.` });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await volumesApi.create({ name: name.trim() || undefined, labels: parsed });
      close();
      onCreated(created);
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  }

  return (
    <Dialog title="New volume" labelId="create-volume-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="create-volume-form">
        {formError && <Alert>{formError}</Alert>}
        <Field id="volume-name" label="Name" error={fieldError('name')} hint="At least two of a–z, 0–9, '.', '_', '-'. Leave empty for a generated name.">
          {(aria) => <input {...aria} class="input" autoComplete="off" spellcheck={false} placeholder="generated" value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field id="volume-labels" label="Labels (optional)" error={fieldError('labels')} hint="One key=value per line.">
          {(aria) => <textarea {...aria} class="input mono textarea" rows={3} spellcheck={false} value={labels} onInput={(e) => setLabels(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Create volume</Button>
        </div>
      </form>
    </Dialog>
  );
}
