/** Workspaces and classes (REST /api/workspaces, /api/classes); see docs/classes.md. */
import { api } from '../../lib/api';

export type Workspace = {
  id: string;
  owner: string;
  displayName: string;
  classId: number | null;
  ttlSeconds: number;
  createdAt: string;
  lastActivityAt: string;
  expiresAt: string;
  containers: string[];
  terminalId: string | null;
};

export type Classroom = {
  id: number;
  name: string;
  trainer: string;
  image: string;
  cmd: string[];
  ports: string[];
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  ttlSeconds: number;
  createdAt: string;
  attendees: number;
};

export type ClassWithLink = { classroom: Classroom; joinUrl: string; joinPath: string };
export type ClassDetail = { classroom: Classroom; attendees: Workspace[] };
export type NewClass = {
  name: string;
  image: string;
  cmd?: string[];
  ports?: string[];
  memoryBytes?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  ttlSeconds?: number;
};
export type PushResult = { workspaceId: string; attendee: string; terminalId: string | null; result: string };
export type ClassInvite = { name: string; trainer: string; ttlSeconds: number; image: string; signedInAs: string | null; needsName: boolean };
export type Joined = {
  classId: number;
  className: string;
  trainer: string;
  principal: string;
  displayName: string;
  csrfToken: string | null;
  terminalId: string;
  workspace: Workspace;
  created: boolean;
};

export const classesApi = {
  list: () => api.get<Classroom[]>('api/classes'),
  create: (body: NewClass) => api.post<ClassWithLink>('api/classes', body),
  get: (id: number | string) => api.get<ClassDetail>(`api/classes/${id}`),
  newLink: (id: number | string) => api.post<ClassWithLink>(`api/classes/${id}/link`),
  end: (id: number | string) => api.delete<void>(`api/classes/${id}`),
  push: (id: number | string, text: string, workspaceIds?: string[]) =>
    api.post<{ results: PushResult[] }>(`api/classes/${id}/push`, { text, workspaceIds }),
  invite: (token: string) => api.get<ClassInvite>(`api/classes/join/${encodeURIComponent(token)}`),
  join: (token: string, displayName?: string) => api.post<Joined>(`api/classes/join/${encodeURIComponent(token)}`, { displayName }),
  keepAlive: (workspaceId: string) => api.post<Workspace>(`api/workspaces/${encodeURIComponent(workspaceId)}/keepalive`),
  workspace: (workspaceId: string) => api.get<Workspace>(`api/workspaces/${encodeURIComponent(workspaceId)}`),
};

/** "12:05" / "1:02:05" until {@code iso} (never negative). */
export function countdown(iso: string, now: number): string {
  const left = Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Seconds until {@code iso}. */
export function secondsLeft(iso: string, now: number): number {
  return Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
}
