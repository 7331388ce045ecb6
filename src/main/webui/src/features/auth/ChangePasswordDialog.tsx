import { useState } from 'preact/hooks';
import { useFormError } from '../../lib/useFormError';
import { changePassword } from '../../lib/session';
import { Alert, Button, Dialog, Field } from '../../ui/components';

type Props = { open: boolean; onClose: () => void; onChanged: () => void };

export function ChangePasswordDialog({ open, onClose, onChanged }: Props) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['currentPassword', 'newPassword', 'confirm']);

  function reset() {
    setCurrentPassword('');
    setNewPassword('');
    setConfirm('');
    setError(null);
    setBusy(false);
  }

  function close() {
    reset();
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (newPassword !== confirm) {
      setError({ message: 'The two new passwords differ. Type the same password twice.', field: 'confirm' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await changePassword(currentPassword, newPassword);
      reset();
      onChanged();
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  }

  return (
    <Dialog title="Change your password" labelId="change-password-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate>
        {formError && <Alert>{formError}</Alert>}
        <Field id="cp-current" label="Current password" error={fieldError('currentPassword')}>
          {(aria) => <input {...aria} class="input" type="password" autoComplete="current-password" value={currentPassword} onInput={(e) => setCurrentPassword(e.currentTarget.value)} />}
        </Field>
        <Field id="cp-new" label="New password" error={fieldError('newPassword')} hint="Use a long passphrase you don’t use elsewhere.">
          {(aria) => <input {...aria} class="input" type="password" autoComplete="new-password" value={newPassword} onInput={(e) => setNewPassword(e.currentTarget.value)} />}
        </Field>
        <Field id="cp-confirm" label="New password, again" error={fieldError('confirm')}>
          {(aria) => <input {...aria} class="input" type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!currentPassword || !newPassword}>Change password</Button>
        </div>
      </form>
    </Dialog>
  );
}
