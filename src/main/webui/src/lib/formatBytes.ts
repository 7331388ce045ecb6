/** Byte counts for people: binary units, one decimal from KiB up ("1.5 GiB"). */
export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = value;
  let unit = 0;
  while (Math.abs(n) >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return `${n.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "3 minutes ago", "2 days ago": for lists where the exact time is in the title attribute. */
export function timeAgo(value: string | null | undefined): string {
  if (!value) return '—';
  const then = new Date(value).getTime();
  if (Number.isNaN(then)) return value;
  const seconds = Math.round((Date.now() - then) / 1000);
  const steps: [number, string][] = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
  let n = Math.max(seconds, 0);
  for (const [size, name] of steps) {
    if (n < size) return n <= 1 && name === 'second' ? 'just now' : `${n} ${name}${n === 1 ? '' : 's'} ago`;
    n = Math.floor(n / size);
  }
  return value;
}
