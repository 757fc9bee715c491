/**
 * Time expressions for a search's from/to: ISO-8601 (a zone-less time is UTC; a date alone is its
 * midnight), `now`, relative `-15m` / `-2h` / `-7d` (also s, w; `now-15m`), epoch milliseconds
 * (11 to 16 digits, so a 10-digit epoch in seconds is refused rather than read as 1970), and
 * Hayabusa's shard paths `2017/10/17/15/*`, which name a whole span: the year, month, day, hour or
 * minute of their last component.
 */
import { AppError, MAX_DATE_MS, relativeMs } from '../../core/index.js';
import type { TimeRange } from '../../core/index.js';
import { timeError } from './errors.js';

interface Span {
  start: number;
  /** exclusive; equal to start for a point in time */
  end: number;
}

const EPOCH_MS = /^\d{11,16}$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-](?:0\d|1[0-4])(?::?[0-5]\d)?)?$/i;
const HAYABUSA = /^(\d{4})(?:\/(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{1,2})(?:\/(\d{1,2}))?)?)?)?(?:\/\*)?$/;

/** Date.UTC of the fields, or null when a field is out of range (Feb 30, hour 24). */
function utc(f: number[]): number | null {
  const [y, mo, d, h, mi, s] = f as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  return same ? ms : null;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return (zone[0] === '-' ? -1 : 1) * minutes * 60_000;
}

function isoSpan(m: RegExpExecArray): number | null {
  const fields = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0'));
  const base = utc(fields);
  if (base === null) return null;
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  return base + fraction - zoneOffsetMs(m[8]);
}

function hayabusaSpan(m: RegExpExecArray): Span | null {
  const given = [1, 2, 3, 4, 5].filter((i) => m[i] !== undefined).length;
  const fields = [m[1], m[2] ?? '1', m[3] ?? '1', m[4] ?? '0', m[5] ?? '0', '0'].map(Number);
  const start = utc(fields);
  if (start === null) return null;
  const next = fields.slice();
  next[given - 1]! += 1;
  // Date.UTC carries overflow (month 13, hour 24) into the next unit, which is what "end of span" means.
  const end = Date.UTC(next[0]!, next[1]! - 1, next[2]!, next[3]!, next[4]!, 0);
  return { start, end };
}

function span(input: string, now: number): Span {
  const text = input.trim();
  let start: number | null = null;
  let whole: Span | null = null;
  const rel = relativeMs(text);
  const iso = ISO.exec(text);
  const hay = HAYABUSA.exec(text);
  if (text === 'now') start = now;
  else if (rel !== null) start = now - rel;
  else if (EPOCH_MS.test(text)) start = Number(text);
  else if (iso !== null) start = isoSpan(iso);
  else if (hay !== null) whole = hayabusaSpan(hay);
  else if (/^\d{8}$/.test(text)) throw timeError(input, `a date is written ${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}; epoch times are in milliseconds (11 to 16 digits)`);
  else if (/^\d{1,10}$/.test(text) && text.length !== 4) throw timeError(input, 'epoch times are in milliseconds: 11 to 16 digits');
  if (whole === null && start !== null) whole = { start, end: start };
  if (whole !== null && !(Math.abs(whole.start) <= MAX_DATE_MS)) throw timeError(input, 'out of range: more than 273,000 years from 1970');
  if (whole === null) throw timeError(input);
  return whole;
}

/** The instant a time expression names (the start of a Hayabusa span), in ms since epoch. Throws TIME_SYNTAX. */
export function parseTimeExpr(text: string, now: number): number {
  return span(text, now).start;
}

/**
 * A range whose start is after its end, said the same way by the CLI (`--from`, `--to`), the API (`from`,
 * `to`) and the web UI (the start, the end): both ends as given, and what to do.
 */
export function reversedRangeText(from: string, to: string, names: { from: string; to: string } = { from: 'from', to: 'to' }): string {
  return `${names.from} ${from.trim()} is after ${names.to} ${to.trim()}; swap them`;
}

/**
 * from/to -> [from, to). Absent or blank ends are open. A Hayabusa span as `to` includes that span;
 * as `from` with no `to`, it means exactly that span.
 */
export function parseTimeRange(input: { from?: string | null; to?: string | null }, now: number): TimeRange {
  const from = input.from?.trim() ? span(input.from, now) : null;
  const to = input.to?.trim() ? span(input.to, now) : null;
  const range: TimeRange = { from: from === null ? null : from.start, to: to === null ? null : to.end };
  if (to === null && from !== null && from.end > from.start) range.to = from.end;
  if (range.from !== null && range.to !== null && range.from > range.to) {
    throw new AppError('TIME_SYNTAX', 'bad_request', `time: ${reversedRangeText(input.from!, input.to!)}`, {
      text: `${input.from}..${input.to}`,
      reversed: true,
    });
  }
  return range;
}
