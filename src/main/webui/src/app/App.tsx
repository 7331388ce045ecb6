import { useEffect, useRef, useState } from 'preact/hooks';
import { LoginPage } from '../features/auth/LoginPage';
import { ClassJoinPage } from '../features/classes/ClassJoinPage';
import { NotFoundPage } from '../features/notfound/NotFoundPage';
import { messageOf, setUnauthorizedHandler } from '../lib/api';
import { currentPath, currentQuery, href, navigate, usePath } from '../lib/router';
import { clearSession, loadSession, useSession } from '../lib/session';
import { Alert, Button, PageHeader } from '../ui/components';
import { Layout } from './Layout';
import { findScreen } from './routes';

function loginPathFor(path: string): string {
  return path === '/' || path.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(path + window.location.search)}`;
}

setUnauthorizedHandler(() => {
  clearSession();
  // Several requests of one screen can fail at once: the first sends the user to sign in (with ?next=), the
  // others must not replace that address and lose where to come back to.
  if (currentPath().startsWith('/login')) return;
  navigate(loginPathFor(currentPath()), { replace: true });
});

/** Where to go after signing in: the app path in ?next=, if it is one. */
function nextAfterLogin(): string {
  const next = currentQuery().get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

function Forbidden() {
  return (
    <div class="page" data-testid="forbidden">
      <PageHeader title="Admins only" />
      <div class="empty">
        <h2>This page is for administrators</h2>
        <p>Your account can’t open it. Ask an admin of this Berth if you need access, or go back to the <a href={href('/')}>home page</a>.</p>
      </div>
    </div>
  );
}

export function App() {
  const path = usePath();
  const session = useSession();
  const [booted, setBooted] = useState(false);
  const [bootError, setBootError] = useState<string | null>(null);
  const firstRender = useRef(true);
  const onLogin = path === '/login';
  // the class join page is public: attendees may have no account
  const classToken = path.startsWith('/class/') ? decodeURIComponent(path.slice('/class/'.length)) : null;

  async function boot() {
    setBootError(null);
    try {
      await loadSession();
      setBooted(true);
    } catch (caught) {
      setBootError(messageOf(caught));
    }
  }

  useEffect(() => {
    boot();
  }, []);

  // Re-check the session when the user moves around or comes back to the tab: a session ended elsewhere
  // (logout, disabled account, changed role) shows at once instead of at the next failing action.
  useEffect(() => {
    if (!booted || !session || onLogin) return;
    loadSession().catch(() => undefined);
  }, [path]);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && currentPath() !== '/login') loadSession().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  // After the first screen, move focus to the new content so keyboard and screen reader users follow along.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);

  useEffect(() => {
    if (!booted) return;
    // currentPath(), not the rendered path: a 401 handler may already have moved to /login?next=…, and mixing the
    // stale path with the new query would nest ?next= in itself
    if (!session && !onLogin && !classToken && !currentPath().startsWith('/login')) navigate(loginPathFor(currentPath()), { replace: true });
    if (session && onLogin && currentPath() === '/login') navigate(nextAfterLogin(), { replace: true });
  }, [booted, session, onLogin, path]);

  if (bootError) {
    return (
      <main class="auth" id="main">
        <div class="auth-card">
          <Alert title="Berth is not reachable.">{bootError}</Alert>
          <p />
          <Button variant="primary" onClick={boot}>Try again</Button>
        </div>
      </main>
    );
  }
  if (!booted) return <div class="boot" aria-live="polite">Loading Berth…</div>;
  if (classToken) return <ClassJoinPage token={classToken} />;
  if (!session) return onLogin ? <LoginPage /> : <div class="boot">Redirecting to sign in…</div>;
  if (onLogin) return <div class="boot">Signed in, opening the console…</div>;

  const found = findScreen(path);
  let content;
  if (!found) content = <NotFoundPage />;
  else if (found.screen.adminOnly && session.role !== 'admin') content = <Forbidden />;
  else {
    const Component = found.screen.component;
    content = <Component params={found.params} />;
  }
  return <Layout session={session}>{content}</Layout>;
}
