/**
 * /classes/{id}: the instructor view. A grid of live, read-only thumbnails (one small viewer WebSocket each) of
 * every attendee terminal; open one to watch it full size or take control (type into it as its owner); push a
 * command to one attendee or all; the class link to hand out.
 */
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { href, navigate } from '../../lib/router';
import { Alert, Button, ConfirmDialog, PageHeader } from '../../ui/components';
import { classesApi, countdown, secondsLeft, type ClassDetail, type Workspace } from './classesApi';
import { rememberedLink, rememberLink } from './joinLinks';
import { TerminalPane, type PaneStatus } from './TerminalPane';

export function InstructorPage({ params }: { params: Record<string, string> }) {
  const id = params.id;
  const [detail, setDetail] = useState<ClassDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [link, setLink] = useState<string | null>(rememberedLink(id));
  const [copied, setCopied] = useState(false);
  const [focused, setFocused] = useState<string | null>(null);
  const [control, setControl] = useState(false);
  const [command, setCommand] = useState('');
  const [target, setTarget] = useState<'all' | string>('all');
  const [pushing, setPushing] = useState(false);
  const [pushNotice, setPushNotice] = useState<{ kind: 'success' | 'error' | 'warning'; text: string } | null>(null);
  const [ending, setEnding] = useState(false);

  async function load() {
    try {
      setDetail(await classesApi.get(id));
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  useEffect(() => {
    load();
    const poll = setInterval(load, 3000); // new attendees and countdowns
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [id]);

  const attendees = detail?.attendees ?? [];
  const focusedWorkspace = attendees.find((w) => w.id === focused) ?? null;

  async function newLink() {
    try {
      const created = await classesApi.newLink(id);
      rememberLink(created);
      setLink(new URL(created.joinPath, document.baseURI).toString());
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function copyLink() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  }

  async function push(event: Event) {
    event.preventDefault();
    if (!command.trim()) return;
    setPushing(true);
    setPushNotice(null);
    try {
      const { results } = await classesApi.push(id, command, target === 'all' ? undefined : [target]);
      const refused = results.filter((r) => r.result !== 'accepted');
      if (results.length === 0) setPushNotice({ kind: 'warning', text: 'Nobody has joined yet: nothing was sent.' });
      else if (refused.length === 0) {
        setPushNotice({ kind: 'success', text: `Sent to ${results.length === 1 ? results[0].attendee : `all ${results.length} attendees`}.` });
        setCommand('');
      } else {
        setPushNotice({ kind: 'warning', text: `Not sent to ${refused.map((r) => `${r.attendee} (${r.result})`).join(', ')}.` });
      }
    } catch (caught) {
      setPushNotice({ kind: 'error', text: messageOf(caught) });
    } finally {
      setPushing(false);
    }
  }

  const c = detail?.classroom;
  return (
    <div class="page page-wide instructor">
      <PageHeader
        title={c ? c.name : 'Class'}
        documentTitle={c ? `${c.name} (instructor)` : 'Class'}
        description={c && <>
          <span class="mono">{c.image}{c.cmd.length > 0 && ` ${c.cmd.join(' ')}`}</span> · {attendees.length} {attendees.length === 1 ? 'attendee' : 'attendees'} ·
          idle time-out {Math.round(c.ttlSeconds / 60)} min · <a href={href('/classes')}>all classes</a>
        </>}
        actions={<Button variant="danger" onClick={() => setEnding(true)}>End class</Button>}
      />
      {error && <Alert title="Could not load the class.">{error}</Alert>}

      <section class="instructor-tools" aria-label="Class link and commands">
        <div class="instructor-link">
          <span class="instructor-label">Class link</span>
          {link ? (
            <>
              <input class="input mono" readOnly value={link} aria-label="Class link" data-testid="class-link"
                onFocus={(e) => e.currentTarget.select()} />
              <Button size="small" onClick={copyLink}>{copied ? 'Copied' : 'Copy'}</Button>
              <Button size="small" variant="ghost" onClick={newLink} title="The current link stops working">New link</Button>
            </>
          ) : (
            <>
              <span class="muted">The link is shown once, when it is made.</span>
              <Button size="small" onClick={newLink}>Make a new link</Button>
            </>
          )}
        </div>
        <form class="instructor-push" onSubmit={push}>
          <label class="instructor-label" for="push-command">Push a command</label>
          <input id="push-command" class="input mono" value={command} placeholder="ls -l /" autoComplete="off"
            onInput={(e) => setCommand(e.currentTarget.value)} />
          <label class="visually-hidden" for="push-target">Send to</label>
          <select id="push-target" class="select select-inline" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
            <option value="all">to everyone</option>
            {attendees.map((w) => <option key={w.id} value={w.id}>to {w.displayName}</option>)}
          </select>
          <Button type="submit" variant="primary" size="small" busy={pushing} disabled={!command.trim()}>Send</Button>
        </form>
        <div aria-live="polite">{pushNotice && <Alert kind={pushNotice.kind}>{pushNotice.text}</Alert>}</div>
      </section>

      {detail && attendees.length === 0 && (
        <div class="empty" data-testid="no-attendees">
          <h2>Waiting for attendees</h2>
          <p>Hand out the class link. Each person who opens it gets their own terminal, and it appears here live.</p>
        </div>
      )}

      {focusedWorkspace && focusedWorkspace.terminalId ? (
        <section class="instructor-focus" aria-label={`Terminal of ${focusedWorkspace.displayName}`} data-testid="focused-terminal">
          <div class="instructor-focus-bar">
            <strong>{focusedWorkspace.displayName}</strong>
            <span class={`badge ${control ? 'badge-danger' : 'badge-accent'}`}>{control ? 'you are typing here' : 'watching'}</span>
            <span class="spacer" />
            {control
              ? <Button size="small" onClick={() => setControl(false)}>Hand back</Button>
              : <Button size="small" variant="primary" onClick={() => setControl(true)}>Take control</Button>}
            <Button size="small" onClick={() => { setFocused(null); setControl(false); }}>Back to all</Button>
          </div>
          <TerminalPane key={`${focusedWorkspace.terminalId}-${control}`} terminalId={focusedWorkspace.terminalId}
            mode={control ? 'control' : 'watch'} fontSize={15} autoFocus={control}
            label={`${focusedWorkspace.displayName}'s terminal, full size`} testId="focused-pane" />
        </section>
      ) : (
        <ul class="thumb-grid" data-testid="thumbnails">
          {attendees.map((w) => <Thumbnail key={w.id} workspace={w} now={now}
            onOpen={(takeControl) => { setFocused(w.id); setControl(takeControl); }} />)}
        </ul>
      )}

      <ConfirmDialog title="End this class?" confirmLabel="End class" danger open={ending} onCancel={() => setEnding(false)}
        onConfirm={async () => {
          setEnding(false);
          try {
            await classesApi.end(id);
            navigate('/classes');
          } catch (caught) {
            setError(messageOf(caught));
          }
        }}>
        <p>Every attendee’s workspace and container is removed and the class link stops working.</p>
      </ConfirmDialog>
    </div>
  );
}

function Thumbnail({ workspace, now, onOpen }: { workspace: Workspace; now: number; onOpen: (takeControl: boolean) => void }) {
  const [status, setStatus] = useState<PaneStatus>('connecting');
  const left = secondsLeft(workspace.expiresAt, now);
  return (
    <li class="thumb" data-testid="thumbnail" data-attendee={workspace.displayName}>
      <div class="thumb-head">
        <span class={`thumb-dot thumb-dot-${status}`} aria-hidden="true" />
        <strong class="thumb-name">{workspace.displayName}</strong>
        <span class={`thumb-ttl ${left < 300 ? 'thumb-ttl-low' : ''}`} title="Removed after this long without activity">
          {countdown(workspace.expiresAt, now)}
        </span>
      </div>
      {workspace.terminalId ? (
        <button type="button" class="thumb-screen" onClick={() => onOpen(false)} aria-label={`Watch ${workspace.displayName} full size`}>
          <TerminalPane terminalId={workspace.terminalId} mode="watch" fontSize={12}
            label={`${workspace.displayName}'s terminal`} testId="thumbnail-terminal" onStatus={(s) => setStatus(s)} />
        </button>
      ) : <p class="muted thumb-empty">No terminal: the container stopped.</p>}
      <div class="thumb-actions">
        <Button size="small" variant="ghost" onClick={() => onOpen(false)}>Watch</Button>
        <Button size="small" onClick={() => onOpen(true)}>Take control</Button>
      </div>
    </li>
  );
}
