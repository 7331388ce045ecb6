/**
 * /join/{token}: a guest opens a share link, gives the name others will see, and gets the shared terminal.
 * Public (no account): the link is the credential. Links that no longer admit guests say why.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, setCsrfToken } from '../../lib/api';
import { Alert, Button, Field, ThemeToggle } from '../../ui/components';
import { BrandMark } from '../../ui/icons';
import { TerminalView } from '../terminals/TerminalView';
import { joinApi, rememberJoin, rememberedJoin, type Joined, type LinkStatus } from './joinApi';
import '../terminals/terminals.css';
import './join.css';

type State =
  | { kind: 'checking' }
  | { kind: 'refused'; title: string; message: string }
  | { kind: 'form'; link: LinkStatus }
  | { kind: 'joined'; joined: Joined };

function refusal(error: unknown): { title: string; message: string } {
  const code = error instanceof ApiError ? error.code : '';
  const title =
    code === 'link_expired' ? 'This link has expired'
    : code === 'link_used_up' ? 'This link has been used up'
    : code === 'link_revoked' ? 'This link was revoked'
    : code === 'terminal_ended' ? 'This terminal has ended'
    : code === 'link_not_found' ? 'This link does not work'
    : 'Could not open this link';
  return { title, message: messageOf(error) };
}

export function JoinPage({ token }: { token: string }) {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [name, setName] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);

  useEffect(() => {
    document.title = 'Join a shared terminal · Berth';
    const remembered = rememberedJoin(token);
    if (remembered) {
      setState({ kind: 'joined', joined: remembered });
      return;
    }
    check();
  }, [token]);

  async function check() {
    setState({ kind: 'checking' });
    try {
      // signed in already? then our changes must carry the session's CSRF token
      await fetch('api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : null))
        .then((s) => setCsrfToken(s?.csrfToken ?? null))
        .catch(() => undefined);
      setState({ kind: 'form', link: await joinApi.status(token) });
    } catch (caught) {
      setState({ kind: 'refused', ...refusal(caught) });
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const joined = await joinApi.join(token, name.trim());
      rememberJoin(token, joined);
      setState({ kind: 'joined', joined });
    } catch (caught) {
      setSubmitting(false);
      if (caught instanceof ApiError && caught.status === 410) setState({ kind: 'refused', ...refusal(caught) });
      else setError({ message: messageOf(caught), field: caught instanceof ApiError ? caught.field : undefined });
    }
  }

  if (state.kind === 'joined') {
    const { joined } = state;
    return (
      <main class="join-terminal" id="main" data-testid="join-terminal">
        <header class="join-bar">
          <span class="join-brand"><BrandMark class="brand-mark" /> Berth</span>
          <span>
            Shared terminal · you are <strong>{joined.displayName}</strong>
            {' '}({joined.role === 'driver' ? 'you can type' : 'watching'})
          </span>
          <ThemeToggle />
        </header>
        <div class="join-screen" data-testid="guest-terminal">
          <TerminalView terminalId={joined.terminalId} class="join-term" autoFocus />
        </div>
      </main>
    );
  }

  return (
    <main class="auth" id="main">
      <div class="auth-theme"><ThemeToggle /></div>
      <div class="auth-card">
        <div class="auth-brand"><BrandMark class="brand-mark" /> Berth</div>
        <p class="muted">Someone shared a terminal with you.</p>
        <div class="card">
          {state.kind === 'checking' && <p aria-live="polite">Checking the link…</p>}
          {state.kind === 'refused' && (
            <div data-testid="join-refused">
              <h1>{state.title}</h1>
              <Alert kind="error">{state.message}</Alert>
            </div>
          )}
          {state.kind === 'form' && (
            <>
              <h1>Join the terminal</h1>
              <p class="muted">
                {state.link.role === 'drive' ? 'You will be able to type into it.' : 'You will watch it; you cannot type.'}
                {' '}The link works until {new Date(state.link.expiresAt).toLocaleString()}.
              </p>
              <form class="form" onSubmit={submit} noValidate>
                {error && !error.field && (
                  <div data-testid="join-error"><Alert kind="error">{error.message}</Alert></div>
                )}
                <Field id="join-name" label="Your name" hint="Others on the terminal see it." error={error?.field === 'displayName' ? error.message : undefined}>
                  {(aria) => (
                    <input {...aria} class="input" name="displayName" autoComplete="nickname" autoFocus required maxLength={40}
                      value={name} onInput={(e) => setName(e.currentTarget.value)} />
                  )}
                </Field>
                <Button type="submit" variant="primary" block busy={submitting} disabled={!name.trim()}>
                  {submitting ? 'Joining…' : 'Join'}
                </Button>
              </form>
            </>
          )}
        </div>
      </div>
    </main>
  );
}
