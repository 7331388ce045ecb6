import { useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { networksApi, type Network } from './networksApi';

type FormError = { message: string; field?: string } | null;

/** Create a user bridge network: a name, and optionally the subnet (else Berth picks a free one). */
export function CreateNetworkDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (network: Network) => void }) {
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError>(null);

  function close() {
    setName('');
    setSubnet('');
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!name.trim()) {
      setError({ field: 'name', message: 'Give the network a name; containers on it reach each other by their names.' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await networksApi.create({ name: name.trim(), subnet: subnet.trim() || undefined });
      close();
      onCreated(created);
    } catch (caught) {
      setBusy(false);
      setError({ message: messageOf(caught), field: caught instanceof ApiError ? caught.field : undefined });
    }
  }

  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  return (
    <Dialog title="New network" labelId="create-network-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="create-network-form">
        {error && error.field !== 'name' && error.field !== 'subnet' && <Alert>{error.message}</Alert>}
        <Field id="network-name" label="Name" error={fieldError('name')} hint="Letters, digits, '.', '_' and '-'. Containers on this network find each other by name.">
          {(aria) => <input {...aria} class="input" autoComplete="off" spellcheck={false} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
        </Field>
        <Field id="network-subnet" label="Subnet (optional)" error={fieldError('subnet')} hint="IPv4 CIDR such as 10.42.0.0/24. Leave empty and Berth picks a free one; the gateway is its first address.">
          {(aria) => <input {...aria} class="input mono" autoComplete="off" spellcheck={false} placeholder="automatic" value={subnet} onInput={(e) => setSubnet(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Create network</Button>
        </div>
      </form>
    </Dialog>
  );
}
