import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ChangePasswordDialog } from '../features/auth/ChangePasswordDialog';
import { messageOf } from '../lib/api';
import { href, navigate, usePath } from '../lib/router';
import { logout, type Session } from '../lib/session';
import { Alert, Button, ThemeToggle } from '../ui/components';
import { BrandMark } from '../ui/icons';
import { navEntries } from './routes';
import { UserMenu } from './UserMenu';

/** With <base href>, "#main" would resolve against the base path: move focus ourselves. */
function skipToContent(event: Event) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

/** The signed-in app: skip link, brand, top bar with theme and user menu, navigation, main content. */
export function Layout({ session, children }: { session: Session; children: ComponentChildren }) {
  const path = usePath();
  const [changingPassword, setChangingPassword] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [logoutError, setLogoutError] = useState<string | null>(null);

  async function signOut() {
    try {
      await logout();
      navigate('/login', { replace: true });
    } catch (caught) {
      setLogoutError(messageOf(caught));
    }
  }

  const isCurrent = (entryPath: string, prefix?: string) =>
    prefix ? path === prefix || path.startsWith(prefix + '/') : entryPath === '/' ? path === '/' : path === entryPath || path.startsWith(entryPath + '/');

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skipToContent}>Skip to content</a>
      <a class="brand" href={href('/')}>
        <BrandMark class="brand-mark" />
        <span>Berth</span>
      </a>
      <header class="topbar">
        <ThemeToggle />
        <UserMenu session={session} onChangePassword={() => setChangingPassword(true)} onLogout={signOut} />
      </header>
      <nav class="sidebar" aria-label="Main">
        <ul class="nav-list">
          {navEntries(session.role === 'admin').map((screen) => {
            const Icon = screen.nav!.icon;
            return (
              <li key={screen.path}>
                <a class="nav-link" href={href(screen.path)} aria-current={isCurrent(screen.path, screen.nav!.matchPrefix) ? 'page' : undefined}>
                  <Icon />
                  <span>{screen.nav!.label}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <main class="main" id="main" tabIndex={-1}>
        {logoutError && <div class="banner"><Alert title="Signing out failed.">{logoutError}</Alert></div>}
        {notice && <div class="banner" role="status"><Alert kind="success">{notice}</Alert></div>}
        {session.mustChangePassword && (
          <div class="banner" data-testid="must-change-password">
            <Alert kind="warning" title="Choose your own password.">
              Your password was set by an administrator.{' '}
              <Button size="small" onClick={() => setChangingPassword(true)}>Change password</Button>
            </Alert>
          </div>
        )}
        {children}
      </main>
      <ChangePasswordDialog open={changingPassword} onClose={() => setChangingPassword(false)}
        onChanged={() => {
          setChangingPassword(false);
          setNotice('Your password was changed.');
        }} />
    </div>
  );
}
