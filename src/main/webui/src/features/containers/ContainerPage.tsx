import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../lib/api';
import { href, navigate } from '../../lib/router';
import { Alert, Button, formatDate, PageHeader } from '../../ui/components';
import { containersApi, ownerOf, portLink, type ContainerInspect, type TopResult } from './containersApi';
import { Ports, RemoveDialog } from './ContainersPage';
import { CopyButton } from './CopyButton';
import { describeStatus, formatBytes, shortId, stateClass } from './format';
import { LogsPanel } from './LogsPanel';
import { shellQuote } from './runForm';
import { ShellDialog } from './ShellDialog';
import { StatsPanel } from './StatsPanel';
import './containers.css';

type Tab = 'overview' | 'logs' | 'stats' | 'processes' | 'inspect';
const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
  { id: 'stats', label: 'Stats' },
  { id: 'processes', label: 'Processes' },
  { id: 'inspect', label: 'Inspect' },
];

function useContainer(id: string) {
  const [data, setData] = useState<ContainerInspect | null>(null);
  const [error, setError] = useState<{ message: string; gone: boolean } | null>(null);
  const last = useRef('');
  async function refresh() {
    try {
      const next = await containersApi.inspect(id);
      const text = JSON.stringify(next);
      if (text !== last.current) {
        last.current = text;
        setData(next);
      }
      setError(null);
    } catch (caught) {
      setError({ message: messageOf(caught), gone: caught instanceof ApiError && caught.status === 404 });
    }
  }
  useEffect(() => {
    last.current = '';
    setData(null);
    refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') refresh();
    }, 2000);
    return () => window.clearInterval(timer);
  }, [id]);
  return { data, error, refresh };
}

function OpenPortForm({ name }: { name: string }) {
  const [port, setPort] = useState('');
  const valid = /^\d{1,5}$/.test(port.trim()) && Number(port) >= 1 && Number(port) <= 65535;
  return (
    <form class="inline-form" onSubmit={(e) => {
      e.preventDefault();
      if (valid) window.open(href(portLink(name, Number(port))), '_blank', 'noopener');
    }}>
      <label for="open-port" class="muted">Open any port through Berth:</label>
      <input id="open-port" class="input mono input-port" inputMode="numeric" placeholder="8080" value={port}
        onInput={(e) => setPort(e.currentTarget.value)} />
      <Button size="small" type="submit" disabled={!valid}>Open</Button>
    </form>
  );
}

function Overview({ c }: { c: ContainerInspect }) {
  const name = c.Name.replace(/^\//, '');
  const running = c.State.Running;
  const command = [...(c.Config.Entrypoint ?? []), ...(c.Config.Cmd ?? [])];
  const ports = running ? c.NetworkSettings?.Ports : c.HostConfig.PortBindings;
  const limits = [
    c.HostConfig.Memory ? `memory ${formatBytes(c.HostConfig.Memory)}` : null,
    c.HostConfig.NanoCpus ? `${c.HostConfig.NanoCpus / 1e9} CPU` : null,
    c.HostConfig.PidsLimit > 0 ? `${c.HostConfig.PidsLimit} processes` : null,
  ].filter(Boolean);
  const restart = c.HostConfig.RestartPolicy?.Name || 'no';
  const networks = Object.entries(c.NetworkSettings?.Networks ?? {});
  return (
    <div class="overview">
      <section class="card">
        <h2>Container</h2>
        <dl class="definition-list">
          <dt>ID</dt><dd class="mono">{c.Id}</dd>
          <dt>Image</dt><dd class="mono">{c.Config.Image || c.Image}</dd>
          <dt>Command</dt><dd class="mono">{command.map(shellQuote).join(' ') || '–'}</dd>
          <dt>Owner</dt><dd>{ownerOf({ owner: c.owner, labels: c.Config.Labels }) ?? '–'}</dd>
          <dt>Created</dt><dd>{formatDate(c.Created)}</dd>
          <dt>Started</dt><dd>{c.State.StartedAt ? formatDate(c.State.StartedAt) : 'never'}</dd>
          {!running && c.State.FinishedAt && <><dt>Finished</dt><dd>{formatDate(c.State.FinishedAt)}, exit code {c.State.ExitCode}{c.State.OOMKilled ? ' (out of memory)' : ''}</dd></>}
          {c.State.Error && <><dt>Error</dt><dd class="text-danger">{c.State.Error}</dd></>}
          <dt>Restart policy</dt><dd>{restart}{c.RestartCount ? `, restarted ${c.RestartCount} times` : ''}</dd>
          <dt>Terminal</dt><dd>{c.Config.Tty ? 'has a TTY' : 'no TTY'}{c.Config.OpenStdin ? ', input open' : ''}</dd>
          <dt>Limits</dt><dd>{limits.length ? limits.join(', ') : 'none'}</dd>
          {c.HostConfig.AutoRemove && <><dt>On exit</dt><dd>removed automatically</dd></>}
        </dl>
      </section>
      <section class="card">
        <h2>Network</h2>
        <dl class="definition-list">
          <dt>Mode</dt><dd>{c.HostConfig.NetworkMode || 'default'}</dd>
          {networks.map(([net, ep]) => <Fragment key={net}><dt>{net}</dt><dd class="mono">{ep.IPAddress || '–'}</dd></Fragment>)}
          <dt>Ports</dt><dd><Ports container={name} ports={ports ?? null} running={running} /></dd>
        </dl>
        {running && <OpenPortForm name={name} />}
      </section>
      {(c.Mounts?.length ?? 0) > 0 && (
        <section class="card">
          <h2>Mounts</h2>
          <ul class="plain-list">
            {c.Mounts!.map((m) => (
              <li key={m.Destination}><span class="mono">{m.Destination}</span> <span class="muted">← {m.Type} {m.Name || m.Source}{m.RW ? '' : ', read-only'}</span></li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>Environment</h2>
        {(c.Config.Env?.length ?? 0) === 0 ? <p class="muted">No variables.</p> : (
          <ul class="plain-list mono env-list">{c.Config.Env.map((e) => <li key={e}>{e}</li>)}</ul>
        )}
      </section>
    </div>
  );
}

function Processes({ id, running }: { id: string; running: boolean }) {
  const [top, setTop] = useState<TopResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    let live = true;
    const load = () => containersApi.top(id).then((t) => live && (setTop(t), setError(null)), (e) => live && setError(messageOf(e)));
    load();
    const timer = window.setInterval(load, 3000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [id, running]);
  if (!running) return <div class="empty"><h2>Not running</h2><p>A stopped container has no processes. Start it to see them here.</p></div>;
  return (
    <div>
      {error && <Alert title="Could not list processes.">{error}</Alert>}
      {top && (
        <div class="table-wrap">
          <table class="table table-compact" data-testid="processes">
            <thead><tr>{top.titles.map((t) => <th key={t} scope="col">{t}</th>)}</tr></thead>
            <tbody>{top.processes.map((p, i) => <tr key={i}>{p.map((cell, j) => <td key={j} class={j === p.length - 1 ? 'mono' : 'nowrap'}>{cell}</td>)}</tr>)}</tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Inspect({ c }: { c: ContainerInspect }) {
  const text = JSON.stringify(c, null, 2);
  return (
    <div>
      <div class="toolbar"><span class="muted">The full state of the container, as Docker's inspect shows it.</span><span class="toolbar-spacer" />
        <CopyButton text={() => text} label="Copy JSON" /></div>
      <pre class="json-view" data-testid="inspect-json" tabIndex={0}>{text}</pre>
    </div>
  );
}

type Action = 'start' | 'stop' | 'restart' | 'pause' | 'unpause';

export function ContainerPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const { data: c, error, refresh } = useContainer(id);
  const [tab, setTab] = useState<Tab>('overview');
  const [busy, setBusy] = useState<Action | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [removing, setRemoving] = useState(false);
  const [shell, setShell] = useState(false);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 5000);
    return () => window.clearInterval(timer);
  }, []);

  if (!c) {
    return (
      <div class="page">
        <PageHeader title={error?.gone ? 'Container not found' : 'Container'} />
        {error ? (
          <div class="empty">
            <h2>{error.gone ? 'There is no such container' : 'Could not load the container'}</h2>
            <p>{error.message}</p>
            <a class="btn" href={href('/containers')}>Back to containers</a>
          </div>
        ) : <p class="muted">Loading…</p>}
      </div>
    );
  }

  const name = c.Name.replace(/^\//, '');
  const state = c.State.Status;
  const running = c.State.Running && !c.State.Paused;
  const live = c.State.Running;
  const statusLine = describeStatus(state, state === 'running' || state === 'paused' ? `Up since ${c.State.StartedAt}`
    : state === 'exited' ? `Exited (${c.State.ExitCode})${c.State.FinishedAt ? ` at ${c.State.FinishedAt}` : ''}` : state, now);

  async function act(action: Action) {
    setBusy(action);
    setActionError(null);
    try {
      await containersApi[action](c!.Id);
      await refresh();
    } catch (caught) {
      setActionError(messageOf(caught));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div class="page page-wide">
      <nav class="breadcrumb" aria-label="Breadcrumb"><a href={href('/containers')}>Containers</a> <span aria-hidden="true">/</span></nav>
      <PageHeader title={name} documentTitle={`${name} · Containers`}
        description={<span class="detail-status"><span class={stateClass(state)} data-testid="detail-state">{state}</span>
          <span class="muted">{statusLine} · {c.Config.Image} · <span class="mono">{shortId(c.Id)}</span></span></span>}
        actions={<>
          {running && <Button variant="primary" onClick={() => setShell(true)}>Open a shell</Button>}
          {!live && <Button busy={busy === 'start'} disabled={!!busy} onClick={() => act('start')}>Start</Button>}
          {live && <Button busy={busy === 'stop'} disabled={!!busy} onClick={() => act('stop')}>Stop</Button>}
          {running && <Button busy={busy === 'restart'} disabled={!!busy} onClick={() => act('restart')}>Restart</Button>}
          {running && <Button busy={busy === 'pause'} disabled={!!busy} onClick={() => act('pause')}>Pause</Button>}
          {c.State.Paused && <Button busy={busy === 'unpause'} disabled={!!busy} onClick={() => act('unpause')}>Resume</Button>}
          <Button variant="danger" disabled={!!busy} onClick={() => setRemoving(true)}>Remove</Button>
        </>} />
      {actionError && <div class="banner"><Alert>{actionError}</Alert></div>}
      {error && <div class="banner"><Alert kind="warning">{error.gone ? 'This container was removed.' : error.message}</Alert></div>}
      <div class="tabs" role="tablist" aria-label="Container details">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" id={`tab-${t.id}`} class="tab tab-button" aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`} aria-current={tab === t.id ? 'page' : undefined} onClick={() => setTab(t.id)}>{t.label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'overview' && <Overview c={c} />}
        {tab === 'logs' && <LogsPanel id={c.Id} name={name} running={live} />}
        {tab === 'stats' && <StatsPanel id={c.Id} running={running} />}
        {tab === 'processes' && <Processes id={c.Id} running={live} />}
        {tab === 'inspect' && <Inspect c={c} />}
      </div>
      <ShellDialog open={shell} onClose={() => setShell(false)} container={{ id: c.Id, name, tty: c.Config.Tty }} />
      <RemoveDialog container={removing ? { id: c.Id, name, state } : null} onCancel={() => setRemoving(false)}
        onConfirm={async (target, force) => {
          setRemoving(false);
          try {
            await containersApi.remove(target.id, force);
            navigate('/containers');
          } catch (caught) {
            setActionError(messageOf(caught));
          }
        }} />
    </div>
  );
}
