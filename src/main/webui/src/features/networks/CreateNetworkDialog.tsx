import { useState } from 'preact/hooks';
import { useFormError } from '../../lib/useFormError';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { networksApi, type Network } from './networksApi';

/** Create a user bridge network: a name, and optionally the subnet (else Berth picks a free one). */
export function CreateNetworkDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (network: Network) => void }) {
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['name', 'subnet']);

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
      fail(caught);
    }
  }

  return (
    <Dialog title="New network" labelId="create-network-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="create-network-form">
        {formError && <Alert>{formError}</Alert>}
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
