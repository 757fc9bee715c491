/** The calendar of dates that draw attacks: validation of a JSON calendar and the entries that fall in a time window. */
import { readFileSync } from 'node:fs';
import { AppError, pathFailureKind, unreadableWhy } from '../../core/index.js';

export const CALENDAR_KINDS = ['national_day', 'anniversary', 'election', 'holiday'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

export interface CalendarEntry {
  /** `MM-DD` (every year) or `YYYY-MM-DD` (once) */
  date: string;
  /** how many days it lasts (multi-day votes); default 1 */
  days?: number;
  name: string;
  kind: CalendarKind;
  /** ISO 3166-1 alpha-2 (or `EU`) */
  countries: string[];
  /** where the date comes from */
  source: string;
}

export interface CalendarHit {
  /** the day it falls on in the window, `YYYY-MM-DD` */
  day: string;
  entry: CalendarEntry;
}

const DAY_MS = 86_400_000;

function bad(where: string, msg: string): AppError {
  return new AppError('TRENDS_CALENDAR_INVALID', 'bad_request', `calendar: ${where}: ${msg}; see the calendar section of docs/architecture.md`);
}

export function validateCalendar(v: unknown, where: string): CalendarEntry[] {
  if (!Array.isArray(v)) throw bad(where, 'expected a json array of entries');
  return v.map((e: unknown, i) => {
    if (typeof e !== 'object' || e === null) throw bad(where, `entry ${i} is not an object`);
    const o = e as Record<string, unknown>;
    const date = o['date'];
    if (typeof date !== 'string' || !/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(date)) throw bad(where, `entry ${i}: date must be MM-DD or YYYY-MM-DD`);
    if (typeof o['name'] !== 'string' || o['name'] === '') throw bad(where, `entry ${i}: name is missing`);
    if (!CALENDAR_KINDS.includes(o['kind'] as CalendarKind)) throw bad(where, `entry ${i}: kind must be one of ${CALENDAR_KINDS.join(', ')}`);
    if (typeof o['source'] !== 'string' || o['source'] === '') throw bad(where, `entry ${i}: source is missing (say where the date comes from)`);
    const days = o['days'] ?? 1;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 366) throw bad(where, `entry ${i}: days must be an integer 1-366`);
    const countries = Array.isArray(o['countries']) ? o['countries'].filter((c): c is string => typeof c === 'string') : [];
    return { date, days, name: o['name'], kind: o['kind'] as CalendarKind, countries, source: o['source'] };
  });
}

/**
 * A calendar file: `via` says where its name came from (the flag, or the configuration key), so each
 * message names it and says how to go back to the built-in calendar.
 */
export function loadCalendarFile(file: string, via = '--calendar'): CalendarEntry[] {
  const where = `${file} (${via})`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const advice = `give ${via} a JSON array of calendar entries (the calendar section of docs/architecture.md), or leave ${via} out for the built-in calendar`;
    throw new AppError('TRENDS_CALENDAR_INVALID', pathFailureKind(e), `calendar: cannot read ${where}: ${unreadableWhy(e, 'a calendar is one JSON file')}; ${advice}`, { file }, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(where, `not valid json (${(e as Error).message})`);
  }
  return validateCalendar(json, where);
}

const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** Entries active on some day of [from, to) (UTC days), one hit per entry and day, sorted by day. */
export function calendarHits(entries: readonly CalendarEntry[], from: number, to: number): CalendarHit[] {
  const hits: CalendarHit[] = [];
  const first = Math.floor(from / DAY_MS) * DAY_MS;
  const y0 = new Date(first).getUTCFullYear() - 1;
  const y1 = new Date(to).getUTCFullYear();
  for (const entry of entries) {
    const span = entry.days ?? 1;
    const starts: number[] = [];
    if (entry.date.length === 10) starts.push(Date.parse(`${entry.date}T00:00:00Z`));
    else for (let y = y0; y <= y1; y++) starts.push(Date.parse(`${y}-${entry.date}T00:00:00Z`));
    for (const s of starts) {
      // Feb 29 in a common year is not a day of that year: skipped (Date.parse may roll it over or give NaN)
      if (Number.isNaN(s) || isoDay(s).slice(5) !== entry.date.slice(-5)) continue;
      for (let k = 0; k < span; k++) {
        const d = s + k * DAY_MS;
        if (d >= first && d < to) hits.push({ day: isoDay(d), entry });
      }
    }
  }
  return hits.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
