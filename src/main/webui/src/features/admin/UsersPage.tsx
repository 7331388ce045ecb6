import { useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { useSession, type Role } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import { Alert, Button, ConfirmDialog, formatDate, LoadState, PageHeader } from '../../ui/components';
import { AdminTabs } from './AdminTabs';
import { CreateUserDialog, ResetPasswordDialog } from './UserDialogs';
import { usersApi, type User } from './usersApi';

export function UsersPage() {
  const session = useSession();
  const { data: users, error: loadError, reload, setData: setUsers } = useResource(usersApi.list);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [disabling, setDisabling] = useState<User | null>(null);

  function replace(updated: User) {
    setUsers((list) => (list ?? []).map((u) => (u.id === updated.id ? updated : u)));
  }

  async function change(user: User, changes: Partial<Pick<User, 'role' | 'disabled'>>, done: string) {
    const key = String(user.id);
    setBusyRow(key);
    setRowErrors(({ [key]: _dropped, ...rest }) => rest);
    try {
      replace(await usersApi.update(user.id, changes));
      setNotice(done);
    } catch (caught) {
      setRowErrors((errors) => ({ ...errors, [key]: messageOf(caught) }));
    } finally {
      setBusyRow(null);
    }
  }

  return (
    <div class="page">
      <PageHeader
        title="Admin"
        description="People who can sign in to this Berth, and what they may do."
        actions={<Button variant="primary" onClick={() => setCreating(true)}>New user</Button>}
      />
      <AdminTabs />
      <div aria-live="polite">{notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}</div>
      <LoadState what="users" error={loadError} loaded={users !== null} onRetry={reload} />
      {users && (
        <div class="table-wrap">
          <table class="table" data-testid="users-table">
            <caption class="visually-hidden">User accounts</caption>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last sign-in</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const key = String(user.id);
                const self = user.username === session?.username;
                const busy = busyRow === key;
                return (
                  <tr key={key} data-username={user.username}>
                    <th scope="row">
                      <div>{user.displayName || user.username}</div>
                      <div class="muted mono" style={{ fontSize: 'var(--text-xs)', fontWeight: 400 }}>{user.username}{self && ' (you)'}</div>
                    </th>
                    <td>
                      <label class="visually-hidden" for={`role-${key}`}>Role of {user.username}</label>
                      <select id={`role-${key}`} class="select select-inline" value={user.role} disabled={self || busy}
                        title={self ? 'You cannot change your own role' : undefined}
                        onChange={(e) => {
                          const role = e.currentTarget.value as Role;
                          change(user, { role }, `${user.username} is now ${role === 'admin' ? 'an admin' : 'a user'}.`);
                        }}>
                        <option value="user">User</option>
                        <option value="admin">Admin</option>
                      </select>
                    </td>
                    <td>
                      {user.disabled ? <span class="badge badge-danger">Disabled</span> : <span class="badge badge-success">Active</span>}
                      {user.mustChangePassword && !user.disabled && (
                        <div class="muted" style={{ fontSize: 'var(--text-xs)', marginTop: 'var(--space-1)' }}>must choose a new password</div>
                      )}
                    </td>
                    <td class="nowrap">{formatDate(user.createdAt)}</td>
                    <td class="nowrap">{formatDate(user.lastLoginAt)}</td>
                    <td>
                      <div class="actions">
                        <Button size="small" onClick={() => setResetting(user)} disabled={busy}>Reset password</Button>
                        {!self && (user.disabled ? (
                          <Button size="small" onClick={() => change(user, { disabled: false }, `${user.username} can sign in again.`)} busy={busy}>Enable</Button>
                        ) : (
                          <Button size="small" variant="danger" onClick={() => setDisabling(user)} busy={busy}>Disable</Button>
                        ))}
                      </div>
                      {rowErrors[key] && <div class="row-error" role="alert">{rowErrors[key]}</div>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)}
        onCreated={(user) => {
          setUsers((list) => [...(list ?? []), user]);
          setNotice(`User ${user.username} created. Give them their password privately.`);
        }} />
      <ConfirmDialog title={disabling ? `Disable ${disabling.username}?` : 'Disable user'} confirmLabel="Disable" danger
        open={disabling !== null} onCancel={() => setDisabling(null)}
        onConfirm={() => {
          const user = disabling!;
          setDisabling(null);
          change(user, { disabled: true }, `${user.username} is disabled and can no longer sign in.`);
        }}>
        <p>They are signed out everywhere at once and can’t sign in until an admin enables the account again.
          Nothing is deleted.</p>
      </ConfirmDialog>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)}
        onDone={(user) => {
          replace({ ...user, mustChangePassword: true });
          setNotice(`Password of ${user.username} reset. They will be asked to choose a new one when they sign in.`);
        }} />
    </div>
  );
}
