/** The Containers screens' view of the REST API (/api/containers and what the run form needs). */
import { api, ApiError } from '../../lib/api';

export type PortBinding = { containerPort: number; protocol: string; hostIp: string; hostPort: number };

export type ContainerSummary = {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  created: string;
  state: string;
  status: string;
  labels: Record<string, string> | null;
  ports: PortBinding[] | null;
  owner?: string | null;
};

export type ContainerInspect = {
  Id: string;
  Name: string;
  Created: string;
  Path: string;
  Args: string[];
  State: {
    Status: string; Running: boolean; Paused: boolean; Restarting: boolean; OOMKilled: boolean; Dead: boolean;
    Pid: number; ExitCode: number; Error: string; StartedAt: string | null; FinishedAt: string | null;
  };
  Image: string;
  ImageRef: string;
  RestartCount: number;
  Config: {
    Hostname: string; User: string; Tty: boolean; OpenStdin: boolean; Env: string[]; Cmd: string[] | null;
    Entrypoint: string[] | null; Image: string; WorkingDir: string; Labels: Record<string, string> | null;
  };
  HostConfig: {
    Memory: number; NanoCpus: number; PidsLimit: number; RestartPolicy: { Name: string; MaximumRetryCount: number };
    AutoRemove: boolean; NetworkMode: string; PortBindings: PortBinding[] | null; Binds: string[] | null;
  };
  Mounts: { Type: string; Name: string; Source: string; Destination: string; RW: boolean }[] | null;
  NetworkSettings: { Ports: PortBinding[] | null; IPAddress: string | null; Networks: Record<string, { IPAddress: string }> | null } | null;
  owner?: string | null;
};

export type ContainerStats = {
  read: string; cpuPercent: number; memoryUsage: number; memoryLimit: number; memoryPercent: number; pids: number;
  netRxBytes: number; netTxBytes: number; blockReadBytes: number; blockWriteBytes: number;
};

export type TopResult = { titles: string[]; processes: string[][] };

export type CreateRequest = {
  image: string;
  name?: string;
  cmd?: string[];
  env?: string[];
  tty?: boolean;
  openStdin?: boolean;
  memory?: number;
  nanoCpus?: number;
  pidsLimit?: number;
  restartPolicy?: string;
  volumes?: string[];
  networkMode?: string;
  portBindings?: PortBinding[];
  publishAll?: boolean;
  autoRemove?: boolean;
};

export type TerminalOpened = { terminalId: string; containerId: string };

export type ImageSummary = { id: string; tags: string[] };
export type NetworkView = { name: string };
export type VolumeView = { name: string };

const path = (id: string) => `api/containers/${encodeURIComponent(id)}`;

export const containersApi = {
  list: () => api.get<ContainerSummary[]>('api/containers?all=true'),
  inspect: (id: string) => api.get<ContainerInspect>(path(id)),
  create: (request: CreateRequest) => api.post<{ Id: string; Name: string }>('api/containers', request),
  start: (id: string) => api.post<void>(`${path(id)}/start`),
  stop: (id: string) => api.post<void>(`${path(id)}/stop`),
  restart: (id: string) => api.post<void>(`${path(id)}/restart`),
  pause: (id: string) => api.post<void>(`${path(id)}/pause`),
  unpause: (id: string) => api.post<void>(`${path(id)}/unpause`),
  remove: (id: string, force: boolean) => api.delete<void>(`${path(id)}?force=${force}`),
  top: (id: string) => api.get<TopResult>(`${path(id)}/top`),
  exec: (id: string, cmd: string[], user: string) =>
    api.post<TerminalOpened>(`${path(id)}/exec`, { cmd, user: user || undefined, cols: 120, rows: 32 }),
  attach: (id: string) => api.post<TerminalOpened>(`${path(id)}/terminal?cols=120&rows=32`),
  images: () => api.get<ImageSummary[]>('api/images'),
  networks: () => api.get<NetworkView[]>('api/networks'),
  volumes: () => api.get<VolumeView[]>('api/volumes'),
};

export const ownerOf = (c: { owner?: string | null; labels?: Record<string, string> | null }) =>
  c.owner ?? c.labels?.['dev.berth.owner'] ?? null;

/** The app path of a container's port link (docs/port-links.md). */
export function portLink(container: string, port: number): string {
  return `ports/${encodeURIComponent(container)}/${port}/`;
}

/**
 * Reads a streaming NDJSON (or text) response line by line until it ends or the signal aborts it. Errors before
 * the stream starts come back as ApiError, like every other request.
 */
export async function streamLines(url: string, signal: AbortSignal, onLine: (line: string) => void): Promise<void> {
  const response = await fetch(url, { credentials: 'same-origin', signal, headers: { Accept: 'application/x-ndjson, text/plain' } });
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let body = { error: `http_${response.status}`, message: `The server answered ${response.status}.` } as { error: string; message: string; field?: string };
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed.message === 'string') body = parsed;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, body);
  }
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += value;
    let newline;
    while ((newline = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
    }
  }
  if (pending) onLine(pending);
}
