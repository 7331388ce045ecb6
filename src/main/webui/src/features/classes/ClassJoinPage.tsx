/**
 * <base>/class/{token}: the one link a trainer hands out. Signed-in people join as themselves; others give the
 * name the trainer will see (a guest session). Then the attendee's own workspace terminal fills the page, with
 * the workspace's countdown (it is removed after that long without activity; typing keeps it alive).
 */
import { useEffect, useState } from 'preact/hooks';
import { messageOf, setCsrfToken } from '../../lib/api';
import { Alert, Button, Field } from '../../ui/components';
import { BrandMark } from '../../ui/icons';
import { classesApi, countdown, secondsLeft, type ClassInvite, type Joined, type Workspace } from './classesApi';
import { TerminalPane, type PaneStatus } from './TerminalPane';

export function ClassJoinPage({ token }: { token: string }) {
  const [invite, setInvite] = useState<ClassInvite | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [joined, setJoined] = useState<Joined | null>(null);

  useEffect(() => {
    document.title = 'Join a class · Berth';
    classesApi.invite(token).then((found) => {
      setInvite(found);
      document.title = `${found.name} · Berth`;
      if (!found.needsName) join();
    }, (caught) => setLoadError(messageOf(caught)));
  }, [token]);

  async function join(displayName?: string) {
    setBusy(true);
    setJoinError(null);
    setNameError(null);
    try {
      const result = await classesApi.join(token, displayName);
      if (result.csrfToken) setCsrfToken(result.csrfToken);
      setJoined(result);
    } catch (caught) {
      const message = messageOf(caught);
      if ((caught as { field?: string }).field === 'displayName') setNameError(message);
      else setJoinError(message);
    } finally {
      setBusy(false);
    }
  }

  if (joined) return <AttendeeWorkspace joined={joined} />;

  return (
    <main class="auth" id="main">
      <div class="auth-card class-join-card">
        <div class="class-join-brand"><BrandMark class="brand-mark" /> <span>Berth</span></div>
        {loadError && <Alert title="This link does not open a class.">{loadError}</Alert>}
        {!invite && !loadError && <p class="muted" aria-live="polite">Opening the class…</p>}
        {invite && (
          <>
            <h1 data-testid="class-name">{invite.name}</h1>
            <p class="muted">
              {invite.trainer} runs this class. You get your own terminal in a fresh <span class="mono">{invite.image}</span> container,
              kept for {Math.round(invite.ttlSeconds / 60)} minutes after your last activity. Your trainer can watch it and help you type.
            </p>
            {joinError && <Alert title="Could not join.">{joinError}</Alert>}
            {invite.needsName ? (
              <form class="stack" onSubmit={(e) => {
                e.preventDefault();
                join(name);
              }}>
                <Field id="display-name" label="Your name" hint="Shown to your trainer next to your terminal." error={nameError ?? undefined}>
                  {(aria) => <input {...aria} class="input" value={name} maxLength={40} autoComplete="name" autoFocus
                    onInput={(e) => setName(e.currentTarget.value)} />}
                </Field>
                <Button type="submit" variant="primary" block busy={busy} disabled={!name.trim()}>Join the class</Button>
              </form>
            ) : (
              busy ? <p class="muted" aria-live="polite">Starting your workspace…</p>
                : joinError && <Button variant="primary" onClick={() => join()}>Try again</Button>
            )}
          </>
        )}
      </div>
    </main>
  );
}

function AttendeeWorkspace({ joined }: { joined: Joined }) {
  const [workspace, setWorkspace] = useState<Workspace>(joined.workspace);
  const [now, setNow] = useState(Date.now());
  const [status, setStatus] = useState<{ status: PaneStatus; message?: string }>({ status: 'connecting' });
  const [gone, setGone] = useState(false);

  useEffect(() => {
    document.title = `${joined.className} · Berth`;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    // the TTL moves with activity on the server: refresh the countdown now and then
    const refresh = setInterval(() => {
      classesApi.workspace(workspace.id).then(setWorkspace, (caught) => {
        if ((caught as { status?: number }).status === 404) setGone(true);
      });
    }, 10000);
    return () => {
      clearInterval(tick);
      clearInterval(refresh);
    };
  }, [workspace.id]);

  const left = secondsLeft(workspace.expiresAt, now);
  return (
    <div class="attendee">
      <header class="attendee-bar">
        <div class="attendee-title">
          <BrandMark class="brand-mark" />
          <strong>{joined.className}</strong>
          <span class="muted">with {joined.trainer}</span>
        </div>
        <div class="attendee-meta">
          <span class="muted">You are <strong data-testid="attendee-name">{joined.displayName}</strong></span>
          <span class={`badge ${left < 300 ? 'badge-danger' : 'badge-accent'}`} data-testid="countdown"
            title="Your workspace is removed after this long without activity; typing keeps it alive.">
            {gone ? 'workspace removed' : `expires in ${countdown(workspace.expiresAt, now)}`}
          </span>
          <Button size="small" disabled={gone} onClick={() => classesApi.keepAlive(workspace.id).then(setWorkspace).catch(() => setGone(true))}>
            Keep it
          </Button>
        </div>
      </header>
      {gone && <div class="attendee-alert"><Alert title="Your workspace was removed.">It expired or your trainer ended the class. Open the class link again for a fresh one.</Alert></div>}
      {status.status !== 'live' && status.message && !gone && (
        <div class="attendee-alert"><Alert kind="warning">{status.message}</Alert></div>
      )}
      <main class="attendee-terminal" id="main">
        <TerminalPane terminalId={joined.terminalId} mode="own" fontSize={15} autoFocus label="Your terminal" testId="attendee-terminal"
          onStatus={(s, message) => setStatus({ status: s, message })} />
      </main>
    </div>
  );
}
