/** The signed-in user, as the server describes it, and the calls that change it. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken } from './api';

export type Role = 'admin' | 'user';

export type Session = {
  username: string;
  displayName: string;
  role: Role;
  csrfToken: string;
  mustChangePassword: boolean;
};

let current: Session | null = null;
let ended = false;
const listeners = new Set<(session: Session | null) => void>();

function set(session: Session | null): void {
  current = session;
  setCsrfToken(session?.csrfToken ?? null);
  listeners.forEach((listener) => listener(session));
}

export function session(): Session | null {
  return current;
}

export function useSession(): Session | null {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    setValue(current);
    return () => {
      listeners.delete(setValue);
    };
  }, []);
  return value;
}

/** Asks the server who we are; null when not signed in. A session that was there and is gone has ended. */
export async function loadSession(): Promise<Session | null> {
  try {
    const loaded = await api.get<Session>('api/session');
    set(loaded);
    return loaded;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if (current) ended = true;
      set(null);
      return null;
    }
    throw error;
  }
}

/**
 * True once, after the server ended our session (logout elsewhere, password change, account disabled),
 * so the login page can say why the user is there.
 */
export function takeSessionEnded(): boolean {
  const value = ended;
  ended = false;
  return value;
}

export async function login(username: string, password: string): Promise<Session> {
  const loggedIn = await api.post<Session>('api/session', { username, password });
  ended = false;
  set(loggedIn);
  return loggedIn;
}

export async function logout(): Promise<void> {
  try {
    await api.delete<void>('api/session');
  } finally {
    set(null);
  }
}

/** Forgets the session locally: the server answered 401, so it has ended. */
export function clearSession(): void {
  if (current) ended = true;
  set(null);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.put<void>('api/session/password', { currentPassword, newPassword });
  if (current) set({ ...current, mustChangePassword: false });
}
