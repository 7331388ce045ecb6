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

/** Asks the server who we are; null when not signed in. */
export async function loadSession(): Promise<Session | null> {
  try {
    const loaded = await api.get<Session>('api/session');
    set(loaded);
    return loaded;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      set(null);
      return null;
    }
    throw error;
  }
}

export async function login(username: string, password: string): Promise<Session> {
  const loggedIn = await api.post<Session>('api/session', { username, password });
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

/** Forgets the session locally (the server already ended it). */
export function clearSession(): void {
  set(null);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.put<void>('api/session/password', { currentPassword, newPassword });
  if (current) set({ ...current, mustChangePassword: false });
}
