/** Number, byte and time formatting for dense tables (times in UTC: shards and Hayabusa paths are UTC). */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-11-28 10:00:01.123` (UTC) */
export function formatTime(ms: number, withMs = true): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return withMs ? `${base}.${pad(d.getUTCMilliseconds(), 3)}` : base;
}

/** `2026-11-28 10:00:01 UTC`: a time shown alone, out of a column that says UTC in its head */
export const formatUtc = (ms: number, withMs = false): string => (Number.isFinite(ms) ? `${formatTime(ms, withMs)} UTC` : '—');

/** `2026-11-28T10:00` for an `<input type="datetime-local">` read as UTC */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function fromDateTimeLocal(v: string): string | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(v)) return null;
  return `${v.length === 16 ? `${v}:00` : v}Z`;
}

/** A time this far ahead of the browser's clock still reads as now (ordinary clock drift). */
export const SKEW_TOLERANCE_MS = 5000;

/** True when `ms` is ahead of the browser's clock by more than ordinary drift (clock skew, a bad timestamp). */
export const isFuture = (ms: number, now = Date.now()): boolean => ms - now > SKEW_TOLERANCE_MS;

function span(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** `3s ago`, `5m ago`, `2h ago`, `4d ago`; a time ahead of the clock reads `in 2h` (not `0s ago`, which would hide a stalled feed). */
export function formatAgo(ms: number, now = Date.now()): string {
  if (isFuture(ms, now)) return `in ${span(Math.round((ms - now) / 1000))}`;
  return `${span(Math.max(0, Math.round((now - ms) / 1000)))} ago`;
}

const nf = new Intl.NumberFormat('en-US');
export const formatInt = (n: number): string => (Number.isFinite(n) ? nf.format(Math.round(n)) : '—');

/** 1.2k, 3.4M */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n * 10) / 10);
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}G`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / 86_400_000)} d`;
}
