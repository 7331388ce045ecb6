/** The guest side of share links: is a link still good, and joining it under a display name. */
import { api } from '../../lib/api';

export type LinkStatus = { role: 'view' | 'drive'; expiresAt: string; usesLeft: number | null };

export type Joined = { terminalId: string; user: string; displayName: string; role: 'viewer' | 'driver'; expiresAt: string };

export const joinApi = {
  status: (token: string) => api.get<LinkStatus>(`api/join/${encodeURIComponent(token)}`),
  join: (token: string, displayName: string) => api.post<Joined>(`api/join/${encodeURIComponent(token)}`, { displayName }),
};

/** Remembered per tab, so a reload of the join page goes back to the terminal instead of using the link again. */
const KEY = 'berth.join.';

export function rememberJoin(token: string, joined: Joined): void {
  try {
    sessionStorage.setItem(KEY + token, JSON.stringify(joined));
  } catch {
    // storage disabled: a reload asks for the name again
  }
}

export function rememberedJoin(token: string): Joined | null {
  try {
    const raw = sessionStorage.getItem(KEY + token);
    return raw ? (JSON.parse(raw) as Joined) : null;
  } catch {
    return null;
  }
}
