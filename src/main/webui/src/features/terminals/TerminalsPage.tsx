/**
 * The Terminals screen: every open terminal you may use, in tabs. A tab connects when first shown and keeps its
 * socket while you look at another one; "New terminal" opens a container's TTY or a shell in it.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { currentQuery, href, navigate } from '../../lib/router';
import { Alert, Button, PageHeader } from '../../ui/components';
import { NewTerminalDialog } from './NewTerminalDialog';
import { TerminalSession } from './terminalSession';
import { containerOf, shortId, terminalsApi, type ContainerSummary, type TerminalInfo } from './terminalsApi';
import { TerminalWorkspace } from './TerminalWorkspace';
import './terminals.css';

export function terminalLabel(id: string, containers: ContainerSummary[], knownContainer?: string | null): string {
  const containerId = knownContainer ?? containerOf(id);
  const container = containerId ? containers.find((c) => c.id === containerId) : undefined;
  const name = container?.name.replace(/^\//, '');
  if (id.startsWith('exec-')) return name ? `${name} · shell` : `shell ${shortId(id).slice(5)}`;
  return name ?? shortId(id);
}

export function TerminalsPage() {
  const [terminals, setTerminals] = useState<TerminalInfo[] | null>(null);
  const [containers, setContainers] = useState<ContainerSummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(currentQuery().get('tab'));
  const [connected, setConnected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const sessions = useRef(new Map<string, TerminalSession>());

  async function load() {
    try {
      const [list, cs] = await Promise.all([terminalsApi.list(), terminalsApi.containers().catch(() => [] as ContainerSummary[])]);
      setTerminals(list);
      setContainers(cs);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  useEffect(() => {
    load();
    const timer = window.setInterval(load, 5000);
    return () => {
      window.clearInterval(timer);
      sessions.current.forEach((s) => s.dispose());
      sessions.current.clear();
    };
  }, []);

  const tabs = useMemo(() => {
    const ids = (terminals ?? []).map((t) => t.id);
    for (const id of connected) if (!ids.includes(id)) ids.push(id);
    return ids;
  }, [terminals, connected]);

  const shown = active && tabs.includes(active) ? active : tabs[0] ?? null;

  useEffect(() => {
    if (shown && !connected.includes(shown)) setConnected((list) => [...list, shown]);
  }, [shown]);

  function sessionFor(id: string): TerminalSession {
    let s = sessions.current.get(id);
    if (!s) {
      s = new TerminalSession(id);
      sessions.current.set(id, s);
    }
    return s;
  }

  function select(id: string) {
    setActive(id);
    navigate(`/terminals?tab=${encodeURIComponent(id)}`, { replace: true });
  }

  function disconnect(id: string) {
    sessions.current.get(id)?.dispose();
    sessions.current.delete(id);
    setConnected((list) => list.filter((x) => x !== id));
    if (shown === id) {
      const rest = tabs.filter((x) => x !== id);
      setActive(rest[0] ?? null);
    }
  }

  function onTabKey(event: KeyboardEvent, index: number) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    select(next);
    document.getElementById(`tab-${next}`)?.focus();
  }

  const info = (id: string) => terminals?.find((t) => t.id === id);

  return (
    <div class="page page-wide">
      <PageHeader title="Terminals"
        description="Shared terminals: everyone here sees the same screen. Tabs keep their connection while you switch."
        actions={<Button variant="primary" onClick={() => setCreating(true)}>New terminal</Button>} />
      {error && <div class="banner"><Alert title="Could not list terminals.">{error} <Button size="small" onClick={load}>Retry</Button></Alert></div>}
      {!terminals && !error && <p class="muted">Loading terminals…</p>}
      {terminals && tabs.length === 0 && (
        <section class="empty" data-testid="terminals-empty">
          <h2>No open terminals</h2>
          <p>Open a shell in a running container, or its own terminal if it was started with a TTY. People you share it with see the same screen.</p>
          <Button variant="primary" onClick={() => setCreating(true)}>New terminal</Button>
        </section>
      )}
      {tabs.length > 0 && (
        <>
          <div class="term-tabs" role="tablist" aria-label="Open terminals">
            {tabs.map((id, index) => {
              const t = info(id);
              const selected = id === shown;
              return (
                <div key={id} class={`term-tab${selected ? ' term-tab-selected' : ''}`}>
                  <button type="button" role="tab" id={`tab-${id}`} aria-selected={selected} aria-controls={`panel-${id}`}
                    tabIndex={selected ? 0 : -1} onClick={() => select(id)} onKeyDown={(e) => onTabKey(e, index)} data-terminal-id={id}>
                    <span class={`term-tab-dot${connected.includes(id) ? ' term-tab-dot-on' : ''}`} aria-hidden="true" />
                    <span class="term-tab-label">{terminalLabel(id, containers, info(id)?.containerId)}</span>
                    {t && <span class="muted term-tab-meta">{t.role} · {t.clients} here{t.recording ? ' · ●' : ''}</span>}
                  </button>
                  {connected.includes(id) && (
                    <button type="button" class="term-tab-close" aria-label={`Disconnect from ${terminalLabel(id, containers, info(id)?.containerId)}`}
                      title="Disconnect (the terminal keeps running)" onClick={() => disconnect(id)}>×</button>
                  )}
                </div>
              );
            })}
          </div>
          {tabs.map((id) => (
            <div key={id} role="tabpanel" id={`panel-${id}`} aria-labelledby={`tab-${id}`} hidden={id !== shown} class="term-panel">
              {connected.includes(id) ? (
                <>
                  <div class="term-panel-header">
                    <a href={href(`/terminals/${encodeURIComponent(id)}`)}>Open on its own page</a>
                    {info(id) && <span class="muted">owned by {info(id)!.owner}</span>}
                  </div>
                  <TerminalWorkspace session={sessionFor(id)} compact />
                </>
              ) : (
                <p class="muted">Not connected. <Button size="small" onClick={() => select(id)}>Connect</Button></p>
              )}
            </div>
          ))}
        </>
      )}
      <NewTerminalDialog open={creating} onClose={() => setCreating(false)} onOpened={(opened) => {
        setConnected((list) => (list.includes(opened.terminalId) ? list : [...list, opened.terminalId]));
        select(opened.terminalId);
        load();
      }} />
    </div>
  );
}
