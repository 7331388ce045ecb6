import { api, ApiError } from '../../lib/api';

export type QuotaLimits = {
  maxRunning: number | null;
  maxMemoryBytes: number | null;
  maxNanoCpus: number | null;
  maxPids: number | null;
  totalMemoryBytes: number | null;
  totalNanoCpus: number | null;
  maxVolumeBytes: number | null;
};

export type Quota = QuotaLimits & { scope: 'role' | 'user'; name: string };

export const quotasApi = {
  list: () => api.get<Quota[]>('api/quotas'),
  save: (quota: Quota) => api.put<Quota>(`api/quotas/${quota.scope}/${encodeURIComponent(quota.name)}`, quota),
  remove: (quota: Quota) => api.delete<void>(`api/quotas/${quota.scope}/${encodeURIComponent(quota.name)}`),
};

/** True when the server has no such API at all (an older Berth, or the feature not merged yet). */
export function isMissingApi(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 405) && !/quota|audit/.test(error.code);
}

/** How each limit is shown and edited: memory in MiB, CPUs as decimals, counts as is. */
export const limitFields: { key: keyof QuotaLimits; label: string; short: string; unit: 'count' | 'bytes' | 'cpus'; hint: string }[] = [
  { key: 'maxRunning', short: 'Running', label: 'Running containers', unit: 'count', hint: 'at once' },
  { key: 'maxMemoryBytes', short: 'Memory', label: 'Memory per container', unit: 'bytes', hint: 'MiB' },
  { key: 'maxNanoCpus', short: 'CPUs', label: 'CPUs per container', unit: 'cpus', hint: 'e.g. 0.5' },
  { key: 'maxPids', short: 'Processes', label: 'Processes per container', unit: 'count', hint: 'pids limit' },
  { key: 'totalMemoryBytes', short: 'Total memory', label: 'Memory in total', unit: 'bytes', hint: 'MiB, all running containers' },
  { key: 'totalNanoCpus', short: 'Total CPUs', label: 'CPUs in total', unit: 'cpus', hint: 'all running containers' },
  { key: 'maxVolumeBytes', short: 'Volumes', label: 'Volume space', unit: 'bytes', hint: 'MiB, all volumes' },
];

const MiB = 1024 * 1024;

export function showLimit(value: number | null, unit: 'count' | 'bytes' | 'cpus'): string {
  if (value === null || value === undefined) return 'unlimited';
  if (unit === 'bytes') return value % (1024 * MiB) === 0 ? `${value / (1024 * MiB)} GiB` : `${Math.round(value / MiB)} MiB`;
  if (unit === 'cpus') return `${+(value / 1e9).toFixed(3)}`;
  return String(value);
}

/** The form's text for a limit (empty = unlimited). */
export function toInput(value: number | null, unit: 'count' | 'bytes' | 'cpus'): string {
  if (value === null || value === undefined) return '';
  if (unit === 'bytes') return String(+(value / MiB).toFixed(2));
  if (unit === 'cpus') return String(+(value / 1e9).toFixed(3));
  return String(value);
}

/** Parses the form's text; null for empty, or an error sentence. */
export function fromInput(text: string, unit: 'count' | 'bytes' | 'cpus'): number | null | string {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const n = Number(trimmed);
  if (!Number.isFinite(n) || n < 0) return 'Enter a positive number, or leave it empty for no limit.';
  if (unit === 'bytes') return Math.round(n * MiB);
  if (unit === 'cpus') return Math.round(n * 1e9);
  if (!Number.isInteger(n)) return 'Enter a whole number.';
  return n;
}
