import { useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../lib/session';
import { ChevronIcon, UserIcon } from '../ui/icons';
import { navigate } from '../lib/router';

type Props = { session: Session; onChangePassword: () => void; onLogout: () => void };

/** The signed-in user's menu: a disclosure button with a short list; Escape and outside clicks close it. */
export function UserMenu({ session, onChangePassword, onLogout }: Props) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
        return;
      }
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        const items = Array.from(root.current?.querySelectorAll<HTMLButtonElement>('.menu-item') ?? []);
        if (items.length === 0) return;
        event.preventDefault();
        const index = items.indexOf(document.activeElement as HTMLButtonElement);
        const step = event.key === 'ArrowDown' ? 1 : -1;
        items[(index + step + items.length) % items.length].focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    root.current?.querySelector<HTMLButtonElement>('.menu-item')?.focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  function choose(action: () => void) {
    setOpen(false);
    action();
  }

  return (
    <div class="menu" ref={root}>
      <button ref={button} type="button" class="btn btn-ghost" aria-expanded={open} aria-controls="user-menu-list"
        data-testid="user-menu" onClick={() => setOpen(!open)}>
        <UserIcon />
        <span>{session.displayName || session.username}</span>
        <ChevronIcon />
      </button>
      {open && (
        <ul class="menu-list" id="user-menu-list">
          <li class="menu-label">
            Signed in as <strong>{session.username}</strong> · {session.role === 'admin' ? 'admin' : 'user'}
          </li>
          <li><button type="button" class="menu-item" onClick={() => choose(onChangePassword)}>Change password</button></li>
          <li><button type="button" class="menu-item" onClick={() => choose(() => navigate('/account/tokens'))}>API tokens</button></li>
          <li><button type="button" class="menu-item" onClick={() => choose(onLogout)}>Sign out</button></li>
        </ul>
      )}
    </div>
  );
}
