/** The images part of Berth's REST API (see web/image/ImageResource.java), and what the screens derive from it. */
import { api, apiErrorOf, apiErrorOfXhr, ApiError, csrfHeader } from '../../lib/api';

export type ContainerRef = { id: string; name: string };

export type ImageItem = {
  id: string;
  tags: string[];
  repoDigests: string[];
  size: number;
  created: string;
  usedBy: ContainerRef[];
  usedByOthers: number;
};

export type ImageConfig = {
  env: string[];
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  user: string;
  exposedPorts: string[];
  volumes: string[];
  labels: Record<string, string>;
  stopSignal: string;
};

export type ImageDetails = {
  id: string;
  tags: string[];
  repoDigests: string[];
  manifestDigest: string;
  created: string;
  os: string;
  architecture: string;
  author: string;
  config: ImageConfig;
  history: { created: string; createdBy: string; comment: string; emptyLayer: boolean }[];
  layers: { digest: string; mediaType: string; size: number; diffId: string }[];
  size: number;
};

/** One line of a pull's NDJSON stream. Layer events carry `layer`; the last event is complete or failed. */
export type PullEvent = {
  pullId: string;
  reference: string;
  layer: string | null;
  status: string;
  current: number;
  total: number;
  message: string;
  error: string | null;
};

export type PullInfo = { id: string; reference: string; done: boolean; state: PullEvent[] };

export type RemoveResult = { untagged: string[]; deleted: string[] };

/** The path part for an image: a reference ("host:5000/team/app:1") or an id ("sha256:..."), kept readable. */
function refPath(ref: string): string {
  return ref.split('/').map((part) => encodeURIComponent(part).replace(/%3A/gi, ':').replace(/%40/g, '@')).join('/');
}

export const imagesApi = {
  list: () => api.get<ImageItem[]>('api/images'),
  inspect: (ref: string) => api.get<ImageDetails>(`api/images/${refPath(ref)}`),
  pulls: () => api.get<PullInfo[]>('api/images/pulls'),
  tag: (source: string, target: string) => api.post<{ tagged: string }>('api/images/tag', { source, target }),
  remove: (ref: string, force: boolean) => api.delete<RemoveResult>(`api/images/${refPath(ref)}${force ? '?force=true' : ''}`),
  exportUrl: (ref: string) => `api/images/export?ref=${encodeURIComponent(ref)}`,
};

/**
 * Reads an NDJSON response line by line until it ends or `signal` aborts; empty lines (keep-alives) are skipped.
 */
async function readNdjson(response: Response, onEvent: (event: PullEvent) => void): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffered += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) onEvent(JSON.parse(line) as PullEvent);
    }
    if (done) break;
  }
  if (buffered.trim()) onEvent(JSON.parse(buffered) as PullEvent);
}

const NETWORK_ERROR = new ApiError(0, {
  error: 'network_error',
  message: 'The connection to Berth was lost while following the pull. The pull goes on on the server; reopen Images to follow it again.',
});

/** Starts (or joins) a pull and streams its events; resolves when the stream ends. Errors before the stream are ApiErrors. */
export async function startPull(reference: string, onEvent: (event: PullEvent) => void, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch('api/images/pull', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/x-ndjson, application/json', ...csrfHeader() },
      body: JSON.stringify({ reference }),
      credentials: 'same-origin',
      signal,
    });
  } catch (caught) {
    if (signal.aborted) return;
    throw NETWORK_ERROR;
  }
  if (!response.ok) throw await apiErrorOf(response);
  try {
    await readNdjson(response, onEvent);
  } catch (caught) {
    if (signal.aborted) return;
    throw NETWORK_ERROR;
  }
}

/** Follows a running (or recently finished) pull that someone started: its current state first, then live events. */
export async function followPull(id: string, onEvent: (event: PullEvent) => void, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`api/images/pulls/${encodeURIComponent(id)}/events`, {
      headers: { Accept: 'application/x-ndjson, application/json' },
      credentials: 'same-origin',
      signal,
    });
  } catch {
    if (signal.aborted) return;
    throw NETWORK_ERROR;
  }
  if (!response.ok) throw await apiErrorOf(response);
  try {
    await readNdjson(response, onEvent);
  } catch {
    if (signal.aborted) return;
    throw NETWORK_ERROR;
  }
}

export type UploadHandle = { promise: Promise<{ loaded: string[] }>; abort: () => void };

/** Uploads an image archive with XMLHttpRequest, reporting upload progress (bytes sent, total). */
export function uploadArchive(file: File, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<{ loaded: string[] }>((resolve, reject) => {
    xhr.open('POST', 'api/images/import');
    xhr.setRequestHeader('Content-Type', 'application/x-tar');
    xhr.setRequestHeader('Accept', 'application/json');
    Object.entries(csrfHeader()).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.upload.onload = () => onProgress(file.size, file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(apiErrorOfXhr(xhr));
    };
    xhr.onerror = () => reject(apiErrorOfXhr(xhr));
    xhr.onabort = () => reject(new ApiError(0, { error: 'aborted', message: 'Upload cancelled.' }));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

// ---- presentation helpers ----

/** Splits "host:5000/team/app:1.0" into repository and tag; Docker Hub names are shown as Docker shows them. */
export function splitTag(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: shortName(hasTag ? reference.slice(0, colon) : reference),
    tag: hasTag ? reference.slice(colon + 1) : 'latest',
  };
}

/** "docker.io/library/busybox" → "busybox", "docker.io/team/app" → "team/app"; other registries stay in full. */
export function shortName(name: string): string {
  if (name.startsWith('docker.io/library/')) return name.slice('docker.io/library/'.length);
  if (name.startsWith('docker.io/')) return name.slice('docker.io/'.length);
  return name;
}

/** A reference as people type it: the short name plus the tag. */
export function shortReference(reference: string): string {
  const { repository, tag } = splitTag(reference);
  return `${repository}:${tag}`;
}

/** "sha256:0123456789abcdef..." → "0123456789ab" (Docker's short id). */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Bytes in SI units, as Docker prints image sizes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 days ago", "last month"; empty input is "unknown". */
export function formatRelative(value: string, now = Date.now()): string {
  if (!value) return 'unknown';
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return value;
  const seconds = Math.round((time - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return value;
}
