import { useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { navigate } from '../../lib/router';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { containersApi } from './containersApi';
import { splitCommand } from './runForm';

const SHELLS = ['/bin/sh', '/bin/bash', '/bin/ash'];

/**
 * "Open a shell": starts a command with its own terminal inside the running container and opens the shared
 * terminal page. When the image has no such program, it says so and offers what else can work.
 */
export function ShellDialog({ open, onClose, container }: {
  open: boolean;
  onClose: () => void;
  container: { id: string; name: string; tty: boolean };
}) {
  const [command, setCommand] = useState('/bin/sh');
  const [user, setUser] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string; code?: string } | null>(null);
  const [missing, setMissing] = useState<string[]>([]);

  function close() {
    setError(null);
    setMissing([]);
    setBusy(false);
    onClose();
  }

  async function openWith(line: string) {
    let cmd: string[];
    try {
      cmd = splitCommand(line);
    } catch (e) {
      setError({ message: (e as Error).message, field: 'cmd' });
      return;
    }
    if (cmd.length === 0) {
      setError({ message: 'Give a command to run, e.g. /bin/sh.', field: 'cmd' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const opened = await containersApi.exec(container.id, cmd, user.trim());
      navigate(`/terminals/${encodeURIComponent(opened.terminalId)}`);
    } catch (caught) {
      const api = caught instanceof ApiError ? caught : null;
      if (api?.code === 'executable_not_found') setMissing((m) => (m.includes(cmd[0]) ? m : [...m, cmd[0]]));
      setError({ message: messageOf(caught), field: api?.field, code: api?.code });
      setBusy(false);
    }
  }

  async function attach() {
    setBusy(true);
    setError(null);
    try {
      const opened = await containersApi.attach(container.id);
      navigate(`/terminals/${encodeURIComponent(opened.terminalId)}`);
    } catch (caught) {
      setError({ message: messageOf(caught) });
      setBusy(false);
    }
  }

  const noShell = error?.code === 'executable_not_found';
  const untried = SHELLS.filter((s) => !missing.includes(s) && s !== command.trim());

  return (
    <Dialog title={`Open a shell in ${container.name}`} labelId="shell-title" open={open} onClose={close}>
      <form class="form" noValidate data-testid="shell-form" onSubmit={(e) => {
        e.preventDefault();
        openWith(command);
      }}>
        {noShell && (
          <div data-testid="no-shell">
            <Alert kind="warning" title={`${container.name} has no ${missing[missing.length - 1]}.`}>
              <p>Its image doesn’t contain that program; minimal images (distroless, scratch, single binaries) often have no shell at all.</p>
              <p>What you can do:</p>
              <ul class="tight-list">
                {untried.length > 0 && <li>try another shell: {untried.map((s) => (
                  <Button key={s} size="small" class="inline-choice" onClick={() => {
                    setCommand(s);
                    openWith(s);
                  }}>{s}</Button>
                ))}</li>}
                <li>run one of the image’s own programs instead (type it as the command), e.g. <code>ls /</code> to see what is inside;</li>
                {container.tty
                  ? <li>attach to the container’s own terminal: <Button size="small" class="inline-choice" onClick={attach}>Attach to main TTY</Button></li>
                  : <li>run a new container of the same image with <strong>Give it a terminal (TTY)</strong>, then attach to it;</li>}
                <li>copy a static busybox into it, or use a debug image on the same network.</li>
              </ul>
            </Alert>
          </div>
        )}
        {error && !noShell && error.field !== 'cmd' && error.field !== 'user' && <Alert>{error.message}</Alert>}
        <Field id="shell-cmd" label="Command" error={error?.field === 'cmd' && !noShell ? error.message : noShell ? error!.message : undefined}
          hint="The program to start with a terminal of its own.">
          {(aria) => <input {...aria} class="input mono" list="shell-suggestions" autoComplete="off" value={command}
            onInput={(e) => setCommand(e.currentTarget.value)} />}
        </Field>
        <datalist id="shell-suggestions">
          {[...SHELLS, 'bash', 'sh', 'ash'].map((s) => <option key={s} value={s} />)}
        </datalist>
        <Field id="shell-user" label="User" error={error?.field === 'user' ? error.message : undefined}
          hint="Name or uid[:gid]; empty for the container’s user.">
          {(aria) => <input {...aria} class="input mono" autoComplete="off" placeholder="container default" value={user}
            onInput={(e) => setUser(e.currentTarget.value)} />}
        </Field>
        <div class="form-actions">
          {container.tty && !noShell && <Button onClick={attach} disabled={busy}>Attach to main TTY</Button>}
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>Open shell</Button>
        </div>
      </form>
    </Dialog>
  );
}
