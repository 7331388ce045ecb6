/** "New terminal": pick a running container and open its own TTY or a new shell (exec) in it. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { href } from '../../lib/router';
import { Alert, Button, Dialog, Field } from '../../ui/components';
import { rememberContainer, terminalsApi, type ContainerSummary, type Opened } from './terminalsApi';

export function NewTerminalDialog({ open, onClose, onOpened }: { open: boolean; onClose: () => void; onOpened: (opened: Opened) => void }) {
  const [containers, setContainers] = useState<ContainerSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [container, setContainer] = useState('');
  const [kind, setKind] = useState<'tty' | 'exec'>('exec');
  const [command, setCommand] = useState('/bin/sh');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    setError(null);
    terminalsApi.containers()
      .then((list) => {
        const running = list.filter((c) => c.state === 'running');
        setContainers(running);
        setLoadError(null);
        if (running.length && !running.some((c) => c.id === container)) setContainer(running[0].id);
      })
      .catch((caught) => setLoadError(messageOf(caught)));
  }, [open]);

  async function submit(event: Event) {
    event.preventDefault();
    if (!container) return;
    setBusy(true);
    setError(null);
    try {
      const cmd = command.trim().split(/\s+/).filter(Boolean);
      const opened = kind === 'tty' ? await terminalsApi.openTty(container) : await terminalsApi.exec(container, cmd.length ? cmd : ['/bin/sh']);
      rememberContainer(opened.terminalId, opened.containerId);
      onOpened(opened);
      onClose();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'container_has_no_tty') {
        setError('This container was not started with a terminal (TTY). Open a new shell in it instead.');
        setKind('exec');
      } else setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="New terminal" labelId="new-terminal-title" open={open} onClose={onClose}>
      <form class="form" onSubmit={submit} data-testid="new-terminal-form">
        {loadError && <Alert title="Could not list containers.">{loadError}</Alert>}
        {containers && containers.length === 0 && (
          <div class="empty-inline">
            <p>No container is running. Start one on the <a href={href('/containers')}>Containers</a> screen, then come back to open a terminal in it.</p>
          </div>
        )}
        {containers && containers.length > 0 && (
          <>
            <Field id="new-terminal-container" label="Container">
              {(aria) => (
                <select class="select" {...aria} value={container} onChange={(e) => setContainer(e.currentTarget.value)}>
                  {containers.map((c) => <option key={c.id} value={c.id}>{c.name.replace(/^\//, '')} — {c.image} ({c.id.slice(0, 12)})</option>)}
                </select>
              )}
            </Field>
            <fieldset class="radio-group">
              <legend>Open</legend>
              <label><input type="radio" name="terminal-kind" checked={kind === 'exec'} onChange={() => setKind('exec')} /> A new shell in it (exec)</label>
              <label><input type="radio" name="terminal-kind" checked={kind === 'tty'} onChange={() => setKind('tty')} /> Its own terminal (the container’s TTY)</label>
            </fieldset>
            {kind === 'exec' && (
              <Field id="new-terminal-command" label="Command" hint="Run with a terminal inside the container, e.g. /bin/sh or /bin/bash -l.">
                {(aria) => <input class="input mono" {...aria} value={command} onInput={(e) => setCommand(e.currentTarget.value)} />}
              </Field>
            )}
          </>
        )}
        {error && <Alert>{error}</Alert>}
        <div class="form-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!container}>Open terminal</Button>
        </div>
      </form>
    </Dialog>
  );
}
