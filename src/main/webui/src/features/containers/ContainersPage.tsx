import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { PauseIcon, RemoveIcon, RestartIcon, StartIcon, StopIcon } from './actionIcons';
import { messageOf } from '../../lib/api';
import { href, navigate } from '../../lib/router';
import { Alert, Button, ConfirmDialog, PageHeader } from '../../ui/components';
import { containersApi, ownerOf, portLink, type ContainerSummary } from './containersApi';
import { describeStatus, shortId, stateClass } from './format';
import './containers.css';

const POLL_MS = 2000;

/**
 * The container list, refreshed every two seconds in place: rows keep their identity (keyed by id) and the
 * table only re-renders when something changed, so nothing flickers and focus stays where it is.
 */
function useContainerList() {
  const [list, setList] = useState<ContainerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef('');

  async function refresh() {
    try {
      const next = await containersApi.list();
      next.sort((a, b) => a.name.localeCompare(b.name));
      const text = JSON.stringify(next);
      if (text !== last.current) {
        last.current = text;
        setList(next);
      }
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  useEffect(() => {
    refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  return { list, error, refresh };
}

function useNow(intervalMs: number) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Ports({ container, ports, running }: { container: string; ports: ContainerSummary['ports']; running: boolean }) {
  if (!ports || ports.length === 0) return <span class="muted">–</span>;
  return (
    <ul class="port-list">
      {ports.map((p) => {
        const label = `${p.containerPort}/${p.protocol}`;
        const host = p.hostPort ? `${p.hostIp || '0.0.0.0'}:${p.hostPort}` : null;
        return (
          <li key={`${label}-${p.hostIp}-${p.hostPort}`}>
            {running && p.protocol === 'tcp' ? (
              <a class="port-link" href={href(portLink(container, p.containerPort))} target="_blank" rel="noopener"
                title={`Open port ${p.containerPort} of ${container} through Berth`} data-testid="port-link">
                {label}<span aria-hidden="true"> ↗</span>
              </a>
            ) : <span class="mono">{label}</span>}
            {host && <span class="port-host" title="Published on the host">→ {host}</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** A compact icon button of a table row; its accessible name says what and on which container. */
function RowAction({ label, title, busy, disabled, danger, onClick, children }: {
  label: string; title: string; busy?: boolean; disabled?: boolean; danger?: boolean; onClick: () => void; children: ComponentChildren;
}) {
  return (
    <button type="button" class={`icon-btn ${danger ? 'icon-btn-danger' : ''}`} aria-label={label} title={title}
      disabled={disabled || busy} aria-busy={busy ? 'true' : undefined} onClick={onClick}>
      {busy ? <span class="spinner" aria-hidden="true" /> : children}
    </button>
  );
}

type Action = 'start' | 'stop' | 'restart' | 'pause' | 'unpause';
const DONE: Record<Action, string> = { start: 'started', stop: 'stopped', restart: 'restarted', pause: 'paused', unpause: 'resumed' };

export function ContainersPage() {
  const { list, error, refresh } = useContainerList();
  const now = useNow(5000);
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState<Record<string, Action | 'remove'>>({});
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ContainerSummary | null>(null);

  async function act(c: ContainerSummary, action: Action | 'remove', call: () => Promise<void>, done: string) {
    setBusy((b) => ({ ...b, [c.id]: action }));
    setRowErrors(({ [c.id]: _dropped, ...rest }) => rest);
    try {
      await call();
      setNotice(done);
      await refresh();
    } catch (caught) {
      setRowErrors((e) => ({ ...e, [c.id]: messageOf(caught) }));
    } finally {
      setBusy(({ [c.id]: _dropped, ...rest }) => rest);
    }
  }

  const run = (c: ContainerSummary, action: Action) =>
    act(c, action, () => containersApi[action](c.id), `${c.name} ${DONE[action]}.`);

  const needle = filter.trim().toLowerCase();
  const shown = (list ?? []).filter((c) => !needle || [c.name, c.image, c.state, ownerOf(c) ?? ''].some((v) => v.toLowerCase().includes(needle)));
  const running = (list ?? []).filter((c) => c.state === 'running').length;

  return (
    <div class="page page-wide">
      <PageHeader title="Containers"
        description={list ? `${list.length} container${list.length === 1 ? '' : 's'}, ${running} running. The list refreshes by itself.` : 'Containers on this machine.'}
        actions={<Button variant="primary" onClick={() => navigate('/containers/new')}>Run a container</Button>} />
      <div aria-live="polite">{notice && <div class="banner" data-testid="notice"><Alert kind="success">{notice}</Alert></div>}</div>
      {error && <div class="banner"><Alert title="Could not load containers.">{error} The list retries every few seconds.</Alert></div>}
      {!list && !error && <p class="muted">Loading containers…</p>}
      {list && list.length === 0 && (
        <div class="empty" data-testid="containers-empty">
          <h2>No containers yet</h2>
          <p>A container runs a program from an image, isolated from this machine. To start one:</p>
          <ul>
            <li><strong>Run a container</strong> from an image already here: pick the image, and optionally a command, ports and environment.</li>
            <li>No images yet? <a href={href('/images')}>Pull or import one on Images</a> first.</li>
          </ul>
          <Button variant="primary" onClick={() => navigate('/containers/new')}>Run a container</Button>
        </div>
      )}
      {list && list.length > 0 && (
        <>
          <div class="toolbar">
            <label class="visually-hidden" for="container-filter">Filter containers</label>
            <input id="container-filter" class="input toolbar-filter" type="search" placeholder="Filter by name, image, state or owner"
              value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
          </div>
          <div class="table-wrap">
            <table class="table containers-table" data-testid="containers-table">
              <caption class="visually-hidden">Containers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Image</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Ports</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {shown.map((c) => {
                  const rowBusy = busy[c.id];
                  const isRunning = c.state === 'running';
                  const isPaused = c.state === 'paused';
                  return (
                    <tr key={c.id} data-container={c.name}>
                      <th scope="row">
                        <a class="container-name" href={href(`/containers/${c.id}`)}>{c.name}</a>
                        <div class="muted mono cell-sub">{shortId(c.id)}</div>
                      </th>
                      <td>
                        <span class={stateClass(c.state)} data-testid="state">{c.state}</span>
                        <div class="muted cell-sub nowrap">{describeStatus(c.state, c.status, now)}</div>
                      </td>
                      <td class="cell-image"><span class="mono">{c.image}</span></td>
                      <td>{ownerOf(c) ?? <span class="muted">–</span>}</td>
                      <td><Ports container={c.name} ports={c.ports} running={isRunning} /></td>
                      <td>
                        <div class="actions">
                          {!isRunning && !isPaused && (
                            <RowAction label={`Start ${c.name}`} title="Start" busy={rowBusy === 'start'} disabled={!!rowBusy} onClick={() => run(c, 'start')}><StartIcon /></RowAction>
                          )}
                          {(isRunning || isPaused) && (
                            <RowAction label={`Stop ${c.name}`} title="Stop" busy={rowBusy === 'stop'} disabled={!!rowBusy} onClick={() => run(c, 'stop')}><StopIcon /></RowAction>
                          )}
                          {isRunning && (
                            <RowAction label={`Restart ${c.name}`} title="Restart" busy={rowBusy === 'restart'} disabled={!!rowBusy} onClick={() => run(c, 'restart')}><RestartIcon /></RowAction>
                          )}
                          {isRunning && (
                            <RowAction label={`Pause ${c.name}`} title="Pause" busy={rowBusy === 'pause'} disabled={!!rowBusy} onClick={() => run(c, 'pause')}><PauseIcon /></RowAction>
                          )}
                          {isPaused && (
                            <RowAction label={`Resume ${c.name}`} title="Resume" busy={rowBusy === 'unpause'} disabled={!!rowBusy} onClick={() => run(c, 'unpause')}><StartIcon /></RowAction>
                          )}
                          <RowAction label={`Remove ${c.name}`} title="Remove" danger busy={rowBusy === 'remove'} disabled={!!rowBusy} onClick={() => setRemoving(c)}><RemoveIcon /></RowAction>
                        </div>
                        {rowErrors[c.id] && <div class="row-error" role="alert">{rowErrors[c.id]}</div>}
                      </td>
                    </tr>
                  );
                })}
                {shown.length === 0 && (
                  <tr><td colSpan={6} class="muted">No container matches “{filter}”.</td></tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
      <RemoveDialog container={removing} onCancel={() => setRemoving(null)}
        onConfirm={(_target, force) => {
          const c = removing!;
          setRemoving(null);
          act(c, 'remove', () => containersApi.remove(c.id, force), `${c.name} removed.`);
        }} />
    </div>
  );
}

/** Asks before removing; a running container needs "force" (stopped with SIGKILL first), said in plain words. */
export function RemoveDialog({ container, onCancel, onConfirm }: {
  container: { id: string; name: string; state: string } | null;
  onCancel: () => void;
  onConfirm: (c: { id: string; name: string; state: string }, force: boolean) => void;
}) {
  const live = container && (container.state === 'running' || container.state === 'paused' || container.state === 'restarting');
  return (
    <ConfirmDialog title={container ? `Remove ${container.name}?` : 'Remove container'} danger open={container !== null}
      confirmLabel={live ? 'Stop and remove' : 'Remove'} onCancel={onCancel} onConfirm={() => container && onConfirm(container, !!live)}>
      {live
        ? <p>It is <strong>{container!.state}</strong>: it will be killed at once, then removed with its writable layer and anonymous volumes. Named volumes stay.</p>
        : <p>Its writable layer, logs and anonymous volumes are deleted. Named volumes stay.</p>}
    </ConfirmDialog>
  );
}
