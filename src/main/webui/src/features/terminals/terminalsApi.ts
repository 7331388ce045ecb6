/** REST calls of the Terminals screens (docs/terminal-protocol.md "REST", CONTRACTS.md "Sharing"). */
import { api, ApiError } from '../../lib/api';

export type TerminalInfo = {
  id: string;
  owner: string;
  cols: number;
  rows: number;
  role: 'owner' | 'driver' | 'viewer';
  clients: number;
  recording: boolean;
  keyboardMode: 'shared' | 'single';
  resizePolicy: 'driver' | 'smallest';
  /** The container it belongs to (servers with ownership say so; otherwise see containerOf). */
  containerId?: string | null;
};

export type Recording = { name: string; bytes: number; modified: string; active: boolean };

export type ContainerSummary = {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  owner?: string | null;
  labels?: Record<string, string>;
};

export type Opened = { terminalId: string; containerId: string; owner: string; cols: number; rows: number };

export type Grant = { user: string; role: 'view' | 'drive'; grantedBy: string; createdAt: string };
export type ShareLink = {
  id: string | number;
  /** With the secret token: only in the answer that created the link. */
  url?: string | null;
  role: 'view' | 'drive';
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  createdBy: string;
  /** active, expired, used-up or revoked, where the server says so. */
  state?: string;
};

const enc = encodeURIComponent;

export const terminalsApi = {
  list: () => api.get<TerminalInfo[]>('api/terminals'),
  get: (id: string) => api.get<TerminalInfo>(`api/terminals/${enc(id)}`),
  recordings: (id: string) => api.get<Recording[]>(`api/terminals/${enc(id)}/recordings`),
  startRecording: (id: string) => api.post<{ terminalId: string; name: string }>(`api/terminals/${enc(id)}/recordings`),
  stopRecording: (id: string) => api.delete<void>(`api/terminals/${enc(id)}/recordings/current`),
  recordingUrl: (id: string, name: string) => `api/terminals/${enc(id)}/recordings/${enc(name)}`,
  /** The asciicast text of a recording (not JSON: fetched directly). */
  async recording(id: string, name: string): Promise<string> {
    const response = await fetch(terminalsApi.recordingUrl(id, name), { credentials: 'same-origin', headers: { Accept: 'application/x-asciicast, */*' } });
    if (!response.ok) {
      throw new ApiError(response.status, { error: `http_${response.status}`, message: `Could not load recording ${name} (HTTP ${response.status}).` });
    }
    return response.text();
  },
  containers: () => api.get<ContainerSummary[]>('api/containers'),
  openTty: (containerId: string, cols?: number, rows?: number) =>
    api.post<Opened>(`api/containers/${enc(containerId)}/terminal${cols && rows ? `?cols=${cols}&rows=${rows}` : ''}`),
  exec: (containerId: string, cmd: string[], cols?: number, rows?: number) =>
    api.post<Opened>(`api/containers/${enc(containerId)}/exec`, { cmd, tty: true, cols, rows }),

  grants: (containerId: string) => api.get<Grant[]>(`api/containers/${enc(containerId)}/grants`),
  grant: (containerId: string, user: string, role: Grant['role']) => api.put<Grant>(`api/containers/${enc(containerId)}/grants/${enc(user)}`, { role }),
  revokeGrant: (containerId: string, user: string) => api.delete<void>(`api/containers/${enc(containerId)}/grants/${enc(user)}`),
  links: (terminalId: string) => api.get<ShareLink[]>(`api/terminals/${enc(terminalId)}/links`),
  createLink: (terminalId: string, role: ShareLink['role'], expiresInSeconds: number, maxUses: number | null) =>
    api.post<ShareLink>(`api/terminals/${enc(terminalId)}/links`, { role, expiresInSeconds, maxUses }),
  revokeLink: (id: ShareLink['id']) => api.delete<void>(`api/links/${enc(String(id))}`),
};

/** 404/405 from an endpoint this server does not have (sharing lands separately). */
export function isMissingEndpoint(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

/**
 * Exec terminals don't carry their container in the terminal API: remember it where we opened them (and a TTY
 * terminal's id is its container's id).
 */
export function containerOf(terminalId: string): string | null {
  if (!terminalId.startsWith('exec-')) return terminalId;
  try {
    return sessionStorage.getItem(`berth.terminal.container.${terminalId}`);
  } catch {
    return null;
  }
}

export function rememberContainer(terminalId: string, containerId: string): void {
  try {
    sessionStorage.setItem(`berth.terminal.container.${terminalId}`, containerId);
  } catch {
    // private mode: the share dialog then offers links only
  }
}

export function shortId(id: string): string {
  return id.startsWith('exec-') ? id.slice(0, 13) : id.slice(0, 12);
}
