import { useState } from 'preact/hooks';
import { useFormError } from '../../lib/useFormError';
import type { Role } from '../../lib/session';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { usersApi, type User } from './usersApi';

export function CreateUserDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['username', 'displayName', 'password', 'role']);

  function close() {
    setUsername('');
    setDisplayName('');
    setPassword('');
    setRole('user');
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await usersApi.create({ username: username.trim(), displayName: displayName.trim(), password, role });
      close();
      onCreated(user);
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  }

  return (
    <Dialog title="New user" labelId="create-user-title" open={open} onClose={close}>
      <form class="form" onSubmit={submit} noValidate data-testid="create-user-form">
        {formError && <Alert>{formError}</Alert>}
        <Field id="new-username" label="Username" error={fieldError('username')} hint="What they type to sign in: lowercase letters, digits, dots, dashes.">
          {(aria) => <input {...aria} class="input" name="username" autoComplete="off" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />}
        </Field>
        <Field id="new-display-name" label="Display name" error={fieldError('displayName')} hint="Shown to others in shared terminals.">
          {(aria) => <input {...aria} class="input" name="displayName" autoComplete="off" value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />}
        </Field>
        <Field id="new-password" label="Initial password" error={fieldError('password')} hint="Give it to them privately; they can change it after signing in.">
          {(aria) => <input {...aria} class="input" type="password" name="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <Field id="new-role" label="Role" error={fieldError('role')} hint="Admins manage users and the machine; users run their own containers.">
          {(aria) => (
            <select {...aria} class="select" name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              <option value="user">User</option>
              <option value="admin">Admin</option>
            </select>
          )}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Create user</Button>
        </div>
      </form>
    </Dialog>
  );
}

export function ResetPasswordDialog({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: (user: User) => void }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { setError, fail, fieldError, formError } = useFormError(['password']);

  function close() {
    setPassword('');
    setError(null);
    setBusy(false);
    onClose();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!user) return;
    setBusy(true);
    setError(null);
    try {
      await usersApi.resetPassword(user.id, password);
      const done = user;
      close();
      onDone(done);
    } catch (caught) {
      setBusy(false);
      fail(caught);
    }
  }

  return (
    <Dialog title={user ? `Reset password of ${user.username}` : 'Reset password'} labelId="reset-password-title" open={user !== null} onClose={close}>
      <form class="form" onSubmit={submit} noValidate>
        {formError && <Alert>{formError}</Alert>}
        <p class="muted">They will sign in with this password and should change it right away.</p>
        <Field id="reset-password" label="New password" error={fieldError('password')}>
          {(aria) => <input {...aria} class="input" type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!password}>Reset password</Button>
        </div>
      </form>
    </Dialog>
  );
}
