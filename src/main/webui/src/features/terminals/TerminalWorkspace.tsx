/**
 * Everything around one shared terminal: who is here (presence, roles, typing), who has the keyboard (control
 * requests, grant, take back), the owner's settings (keyboard mode, resize policy, roles, recording, sharing), the
 * terminal itself and its recordings. Used by the terminal page and by each tab of the Terminals screen.
 */
import { useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../lib/api';
import { Alert, Button } from '../../ui/components';
import { RecordingsPanel } from './RecordingsPanel';
import { ShareDialog } from './ShareDialog';
import type { PresenceClient, SessionState, TerminalRole, TerminalSession } from './terminalSession';
import { terminalsApi } from './terminalsApi';
import { TerminalView, useSessionState } from './TerminalView';
import './terminals.css';

const PALETTE = ['#2f7ae5', '#1e9e6a', '#c2410c', '#9333ea', '#be185d', '#0e7490', '#a16207', '#4d7c0f'];

export function colourOf(user: string): string {
  let hash = 0;
  for (let i = 0; i < user.length; i++) hash = (hash * 31 + user.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

const RANK: Record<TerminalRole, number> = { viewer: 0, driver: 1, owner: 2 };

type Person = { user: string; role: TerminalRole; connections: number; typing: boolean; activeDriver: boolean };

/** Presence lists connections; people are users (one person may have several tabs open). */
export function peopleOf(state: SessionState, now: number): Person[] {
  const byUser = new Map<string, Person>();
  for (const c of state.presence as PresenceClient[]) {
    const typing = !!c.typing || now - (state.typing[c.user] ?? 0) < 2500;
    const p = byUser.get(c.user);
    if (!p) byUser.set(c.user, { user: c.user, role: c.role, connections: 1, typing, activeDriver: state.driver === c.id });
    else {
      p.connections++;
      if (RANK[c.role] > RANK[p.role]) p.role = c.role;
      p.typing ||= typing;
      p.activeDriver ||= state.driver === c.id;
    }
  }
  return [...byUser.values()].sort((a, b) => RANK[b.role] - RANK[a.role] || a.user.localeCompare(b.user));
}

function roleLabel(role: TerminalRole): string {
  return role === 'owner' ? 'Owner' : role === 'driver' ? 'Driver' : 'Viewer';
}

function PresenceBar({ session, state }: { session: TerminalSession; state: SessionState }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const people = peopleOf(state, now);
  const iOwn = state.role === 'owner';
  const single = state.mode === 'single';
  return (
    <ul class="presence" aria-label="People on this terminal" data-testid="presence">
      {people.map((p) => {
        const me = p.user === state.user;
        const hasKeyboard = single ? state.controller === p.user : p.role !== 'viewer';
        return (
          <li key={p.user} class="presence-person" data-user={p.user} data-role={p.role} data-typing={p.typing ? 'true' : 'false'}>
            <span class="avatar" style={{ background: colourOf(p.user) }} aria-hidden="true">{p.user.replace(/^guest:/, '').slice(0, 1).toUpperCase()}</span>
            <span class="presence-name">
              <span class="presence-user">{p.user}{me && <span class="muted"> (you)</span>}</span>
              <span class="presence-meta">
                <span class={`badge role-${p.role}`}>{roleLabel(p.role)}</span>
                {single && state.controller === p.user && <span class="badge badge-accent" data-testid="has-control">⌨ has control</span>}
                {p.typing && hasKeyboard && <span class="typing" data-testid="typing">typing<span class="typing-dots" aria-hidden="true">…</span></span>}
                {p.connections > 1 && <span class="muted">{p.connections} tabs</span>}
              </span>
            </span>
            {iOwn && !me && p.role !== 'owner' && (
              <span class="presence-actions">
                <label class="visually-hidden" for={`role-${session.terminalId}-${p.user}`}>Role of {p.user}</label>
                <select id={`role-${session.terminalId}-${p.user}`} class="select select-inline" value={p.role}
                  onChange={(e) => session.setRole(p.user, e.currentTarget.value as 'driver' | 'viewer')}>
                  <option value="viewer">Viewer</option>
                  <option value="driver">Driver</option>
                </select>
                {single && p.role !== 'viewer' && state.controller !== p.user && (
                  <Button size="small" onClick={() => session.grant(p.user)}>Give control</Button>
                )}
              </span>
            )}
          </li>
        );
      })}
      {people.length === 0 && <li class="muted">Connecting…</li>}
    </ul>
  );
}

export function TerminalWorkspace({ session, compact }: { session: TerminalSession; compact?: boolean }) {
  const state = useSessionState(session);
  const [sharing, setSharing] = useState(false);
  const [recordingBusy, setRecordingBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [recordingsVersion, setRecordingsVersion] = useState(0);

  useEffect(() => setRecordingsVersion((v) => v + 1), [state?.recording]);

  if (!state) return null;
  const iOwn = state.role === 'owner';
  const single = state.mode === 'single';
  const inControl = single && state.controller === state.user;
  const live = state.status === 'live';

  async function toggleRecording() {
    setRecordingBusy(true);
    setError(null);
    try {
      if (state!.recording) await terminalsApi.stopRecording(session.terminalId);
      else await terminalsApi.startRecording(session.terminalId);
      setRecordingsVersion((v) => v + 1);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setRecordingBusy(false);
    }
  }

  return (
    <div class={`term-workspace${compact ? ' term-workspace-compact' : ''}`}>
      <div class="term-controls">
        <PresenceBar session={session} state={state} />
        <div class="term-actions" aria-label="Terminal controls" role="group">
          {iOwn && (
            <label class="inline-field">
              <span>Keyboard</span>
              <select class="select select-inline" value={state.mode} disabled={!live} data-testid="keyboard-mode"
                onChange={(e) => session.setKeyboardMode(e.currentTarget.value as 'shared' | 'single')}>
                <option value="shared">Shared: every driver types</option>
                <option value="single">Single: one driver at a time</option>
              </select>
            </label>
          )}
          {iOwn && (
            <label class="inline-field">
              <span>Size</span>
              <select class="select select-inline" value={state.policy} disabled={!live} data-testid="resize-policy"
                onChange={(e) => session.setResizePolicy(e.currentTarget.value as 'driver' | 'smallest')}>
                <option value="driver">Follow the active driver</option>
                <option value="smallest">Smallest screen</option>
              </select>
            </label>
          )}
          {!iOwn && state.role !== 'viewer' && single && !inControl && (
            <Button size="small" disabled={!live} onClick={() => { session.requestControl(); session.hint('requested', 'Asked for control; you can type once it is granted.'); }}>Request control</Button>
          )}
          {iOwn && single && state.controller && state.controller !== state.user && (
            <Button size="small" disabled={!live} onClick={() => session.takeBack()}>Take back control</Button>
          )}
          {iOwn && (
            <Button size="small" variant={state.recording ? 'danger' : 'default'} busy={recordingBusy} onClick={toggleRecording}
              data-testid="record-button">
              <span class={`rec-dot${state.recording ? ' rec-dot-on' : ''}`} aria-hidden="true" />
              {state.recording ? 'Stop recording' : 'Record'}
            </Button>
          )}
          {!iOwn && state.recording && <span class="badge badge-danger" title="This session is being recorded">● Recording</span>}
          {iOwn && <Button size="small" variant="primary" onClick={() => setSharing(true)}>Share</Button>}
        </div>
      </div>
      {error && <div class="banner"><Alert>{error}</Alert></div>}
      {state.controlRequests.length > 0 && (
        <div class="control-requests" aria-live="polite">
          {state.controlRequests.map((user) => (
            <div key={user} class="alert alert-info control-request" data-testid="control-request" data-user={user}>
              <span class="alert-body"><strong>{user}</strong> asks for control of the keyboard.</span>
              <Button size="small" variant="primary" onClick={() => session.grant(user)}>Grant</Button>
              <Button size="small" variant="ghost" onClick={() => session.dismissRequest(user)}>Dismiss</Button>
            </div>
          ))}
        </div>
      )}
      <TerminalView session={session} autoFocus class="term-main" />
      {!compact && <RecordingsPanel terminalId={session.terminalId} version={recordingsVersion} />}
      {iOwn && <ShareDialog terminalId={session.terminalId} open={sharing} onClose={() => setSharing(false)} />}
    </div>
  );
}
