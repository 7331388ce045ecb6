import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../lib/api';
import { useFormError } from '../../lib/useFormError';
import { login, takeSessionEnded } from '../../lib/session';
import { Alert, Button, Field, ThemeToggle } from '../../ui/components';
import { BrandMark } from '../../ui/icons';

/** The sign-in form. Once signed in, the app (App.tsx) leaves /login for the page in ?next=. */
export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const { error, setError, fail, fieldError, formError } = useFormError(['username', 'password']);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const [sessionEnded] = useState(takeSessionEnded);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = 'Sign in · Berth';
  }, []);

  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = window.setTimeout(() => setWaitSeconds((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [waitSeconds]);

  async function submit(event: Event) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (caught) {
      setSubmitting(false);
      fail(caught);
      if (caught instanceof ApiError && caught.status === 429 && caught.retryAfter) setWaitSeconds(caught.retryAfter);
      if (caught instanceof ApiError && caught.code === 'invalid_credentials') {
        setPassword('');
        passwordRef.current?.focus();
      }
    }
  }

  return (
    <main class="auth" id="main">
      <div class="auth-theme"><ThemeToggle /></div>
      <div class="auth-card">
        <div class="auth-brand"><BrandMark class="brand-mark" /> Berth</div>
        <p class="muted">Containers and shared terminals in your browser.</p>
        <div class="card">
          <h1>Sign in</h1>
          <form class="form" onSubmit={submit} noValidate aria-describedby={formError ? 'login-error' : undefined}>
            {sessionEnded && !error && (
              <div data-testid="session-ended">
                <Alert kind="info">Your session ended: you signed out elsewhere, your password changed or an admin changed your account. Sign in again.</Alert>
              </div>
            )}
            {formError && (
              <div id="login-error" data-testid="login-error">
                <Alert kind="error">{formError}</Alert>
              </div>
            )}
            <Field id="login-username" label="Username" error={fieldError('username')}>
              {(aria) => (
                <input {...aria} class="input" name="username" autoComplete="username" autoFocus required
                  value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
              )}
            </Field>
            <Field id="login-password" label="Password" error={fieldError('password')}>
              {(aria) => (
                <input {...aria} ref={passwordRef} class="input" type="password" name="password" autoComplete="current-password" required
                  value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
              )}
            </Field>
            <Button type="submit" variant="primary" block busy={submitting} disabled={waitSeconds > 0 || !username || !password}>
              {submitting ? 'Signing in…' : waitSeconds > 0 ? `Try again in ${waitSeconds} s` : 'Sign in'}
            </Button>
          </form>
        </div>
        <p class="muted" style={{ fontSize: 'var(--text-sm)', marginTop: 'var(--space-4)' }}>
          First start? The admin’s one-time password is in the server log. Forgot yours? Ask an admin to reset it.
        </p>
      </div>
    </main>
  );
}
