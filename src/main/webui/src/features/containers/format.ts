/** Small formatting helpers of the Containers screens. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "3 s", "12 min", "5 h 2 min", "4 days". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 5) return 'a few seconds';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return d === 1 ? '1 day' : `${d} days`;
}

/** The engine's status line ("Up since 2026-…", "Exited (0) at 2026-…") in words, relative to now. */
export function describeStatus(state: string, status: string, now: number): string {
  const since = /since (\S+)/.exec(status);
  const at = / at (\S+)/.exec(status);
  const exit = /Exited \((-?\d+)\)/.exec(status);
  if ((state === 'running' || state === 'paused') && since) {
    const up = formatDuration(now - Date.parse(since[1]));
    return state === 'paused' ? `Up ${up}, paused` : `Up ${up}`;
  }
  if (state === 'exited' && exit) {
    return at ? `Exited (${exit[1]}) ${formatDuration(now - Date.parse(at[1]))} ago` : `Exited (${exit[1]})`;
  }
  if (state === 'created') return 'Created, not started';
  return status || state;
}

export function stateClass(state: string): string {
  switch (state) {
    case 'running': return 'state state-running';
    case 'paused': return 'state state-paused';
    case 'restarting': return 'state state-restarting';
    case 'exited':
    case 'dead': return 'state state-exited';
    default: return 'state state-created';
  }
}

export const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
