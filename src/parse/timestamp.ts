/**
 * Timestamp readers that work by position: each reads one form at index i, and on success fills
 * `out` (the time in ms and the index just past the timestamp) and returns true; on failure it
 * returns false and `out` holds nothing of use. One TimeRead per line is the only allocation.
 */
import { msOfDay, wallClockToMs } from './calendar.js';
import { d2, d4, digitAt, digitsEnd, fractionMs, isSpaceAt } from './digits.js';
import type { Clock } from './options.js';
import { bsdTime } from './year.js';

export interface TimeRead {
  time: number;
  end: number;
  /** the timestamp carried its own offset (or `Z`, or ` UTC`) */
  zoned: boolean;
}

const MONTH_KEYS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map(
  (m) => (m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2),
);

function lowerLetter(s: string, i: number): number {
  const c = s.charCodeAt(i) | 32;
  return c >= 97 && c <= 122 ? c : -1;
}

/** 1..12 for an English month abbreviation at i (any case), else 0. */
export function monthAt(s: string, i: number): number {
  const a = lowerLetter(s, i);
  const b = lowerLetter(s, i + 1);
  const c = lowerLetter(s, i + 2);
  if (a < 0 || b < 0 || c < 0) return 0;
  const key = (a << 16) | (b << 8) | c;
  return MONTH_KEYS.indexOf(key) + 1;
}

/** Index past `.123` / `,123456` at j (j itself when absent). */
function fractionEnd(s: string, j: number): number {
  const c = s.charCodeAt(j);
  if (c !== 46 && c !== 44) return j;
  const end = digitsEnd(s, j + 1);
  return end > j + 1 ? end : j;
}

/** Reads `hh:mm:ss[.fff]` at j: sets out.time to the milliseconds into the day and out.end; false if absent. */
function readClock(s: string, j: number, out: TimeRead): boolean {
  const h = d2(s, j);
  const mi = d2(s, j + 3);
  const sec = d2(s, j + 6);
  if (h < 0 || mi < 0 || sec < 0 || s.charCodeAt(j + 2) !== 58 || s.charCodeAt(j + 5) !== 58) return false;
  const end = fractionEnd(s, j + 8);
  const dayMs = msOfDay(h, mi, sec, end > j + 8 ? fractionMs(s, j + 9, end) : 0);
  if (Number.isNaN(dayMs)) return false;
  out.time = dayMs;
  out.end = end;
  return true;
}

/**
 * Reads `Z`, `+hh:mm`, `+hhmm` or `+hh` at j. Returns 0 when there is none, else `offset * 8 + length`
 * (length 1..6 in the low three bits): a packed number instead of a tuple, as this runs per line.
 */
function readOffset(s: string, j: number): number {
  const c = s.charCodeAt(j);
  if (c === 90 || c === 122) return 1;
  if (c !== 43 && c !== 45) return 0;
  const hh = d2(s, j + 1);
  if (hh < 0 || hh > 23) return 0;
  const sign = c === 45 ? -1 : 1;
  let mm = 0;
  let len = 3;
  if (s.charCodeAt(j + 3) === 58) {
    mm = d2(s, j + 4);
    len = 6;
  } else if (digitAt(s, j + 3) >= 0) {
    mm = digitAt(s, j + 5) < 0 ? d2(s, j + 3) : -1;
    len = 5;
  }
  if (mm < 0 || mm > 59) return 0;
  return sign * (hh * 60 + mm) * 8 + len;
}

/**
 * `YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]` at i. `dateSep` is `-` (or `/` for app logs); `allowSpace`
 * accepts a space for the `T`. Without an offset the time is read at `offsetMin`.
 */
export function readIso(s: string, i: number, dateSep: number, allowSpace: boolean, offsetMin: number, out: TimeRead): boolean {
  const y = d4(s, i);
  const mo = d2(s, i + 5);
  const d = d2(s, i + 8);
  if (y < 0 || mo < 0 || d < 0 || s.charCodeAt(i + 4) !== dateSep || s.charCodeAt(i + 7) !== dateSep) return false;
  const t = s.charCodeAt(i + 10);
  if (t !== 84 && t !== 116 && !(allowSpace && t === 32)) return false;
  if (!readClock(s, i + 11, out)) return false;
  const j = out.end;
  const zone = readOffset(s, j);
  const zoneLength = zone & 7;
  const time = wallClockToMs(y, mo, d, out.time, zoneLength === 0 ? offsetMin : (zone - zoneLength) / 8);
  if (Number.isNaN(time)) return false;
  out.time = time;
  out.end = j + zoneLength;
  out.zoned = zoneLength !== 0;
  return true;
}

/** True when ` UTC` / ` GMT` follows at j and ends there (space, colon or end of line). */
export function utcSuffixAt(s: string, j: number): boolean {
  if (!isSpaceAt(s, j)) return false;
  if (!s.startsWith('UTC', j + 1) && !s.startsWith('GMT', j + 1)) return false;
  const after = s.charCodeAt(j + 4);
  return Number.isNaN(after) || after === 32 || after === 58 || after === 93;
}

/**
 * Offsets (minutes east of UTC) of the zone abbreviations Cisco IOS writes with `service timestamps log
 * datetime localtime show-timezone` (`*Mar  1 01:02:03.456 CET: %SYS-5-...`), as `clock timezone` and
 * `clock summer-time` name them. Ambiguous names take their North American or European meaning (CST is
 * US Central, not China; IST is left out: India, Ireland and Israel all use it).
 */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['UTC', 0], ['GMT', 0], ['WET', 0], ['WEST', 60], ['BST', 60], ['CET', 60], ['CEST', 120], ['MET', 60],
  ['MEST', 120], ['EET', 120], ['EEST', 180], ['MSK', 180], ['EST', -300], ['EDT', -240], ['CST', -360],
  ['CDT', -300], ['MST', -420], ['MDT', -360], ['PST', -480], ['PDT', -420], ['AKST', -540], ['AKDT', -480],
  ['HST', -600], ['AST', -240], ['ADT', -180], ['NST', -210], ['NDT', -150], ['JST', 540], ['KST', 540],
  ['HKT', 480], ['SGT', 480], ['AWST', 480], ['ACST', 570], ['ACDT', 630], ['AEST', 600], ['AEDT', 660],
  ['NZST', 720], ['NZDT', 780],
]);

/** Index of the colon when ` ZZZ:` or ` ZZZZ:` (three or four capitals, a zone name) is at j, else -1. */
function zoneNameEnd(s: string, j: number): number {
  if (s.charCodeAt(j) !== 32) return -1;
  let k = j + 1;
  while (k - j <= 4 && s.charCodeAt(k) >= 65 && s.charCodeAt(k) <= 90) k++;
  return k - j >= 4 && s.charCodeAt(k) === 58 ? k : -1;
}

/**
 * The zone a BSD time at j names: its offset and the index past it in `out` (time, end), or false when
 * there is none. ` UTC`/` GMT` as before; any listed zone when a colon follows it (Cisco's no-host form);
 * an unlisted one only before Cisco's `: %FAC-SEV-MNEMONIC`, and then read at the configured offset
 * (out.time NaN): a zone name, but not one whose offset is known.
 */
function bsdZoneAt(s: string, j: number, out: TimeRead): boolean {
  if (utcSuffixAt(s, j)) {
    out.time = 0;
    out.end = j + 4;
    return true;
  }
  const colon = zoneNameEnd(s, j);
  if (colon < 0) return false;
  const offset = ZONES.get(s.slice(j + 1, colon));
  if (offset === undefined && !(s.charCodeAt(colon + 1) === 32 && s.charCodeAt(colon + 2) === 37)) return false;
  out.time = offset ?? NaN;
  out.end = colon;
  return true;
}

/**
 * Reads `Mmm dd ` at i (day space- or zero-padded, or one digit) into out: out.time = month * 100 +
 * day, out.end = the index after the space that follows the day.
 */
function readMonthDay(s: string, i: number, out: TimeRead): boolean {
  const month = monthAt(s, i);
  if (month === 0 || !isSpaceAt(s, i + 3)) return false;
  let j = i + 4;
  if (isSpaceAt(s, j)) j++;
  const a = digitAt(s, j);
  if (a < 0) return false;
  const b = digitAt(s, j + 1);
  j += b < 0 ? 1 : 2;
  if (!isSpaceAt(s, j)) return false;
  out.time = month * 100 + (b < 0 ? a : a * 10 + b);
  out.end = j + 1;
  return true;
}

/**
 * BSD `Mmm dd hh:mm:ss[.fff]`, also `Mmm dd yyyy hh:mm:ss` and a trailing zone name as Cisco writes it
 * (` UTC`, ` CET:`, see bsdZoneAt). Without a year, the year is inferred (see bsdTime).
 */
export function readBsd(s: string, i: number, clock: Clock, out: TimeRead): boolean {
  if (!readMonthDay(s, i, out)) return false;
  const month = Math.floor(out.time / 100);
  const day = out.time % 100;
  let j = out.end;
  let year = -1;
  const y4 = d4(s, j);
  if (y4 >= 0 && isSpaceAt(s, j + 4)) {
    year = y4;
    j += 5;
  }
  if (!readClock(s, j, out)) return false;
  const dayMs = out.time;
  j = out.end;
  let zoned = false;
  let offset = clock.offsetMin;
  if (bsdZoneAt(s, j, out)) {
    zoned = !Number.isNaN(out.time);
    if (zoned) offset = out.time;
    j = out.end;
  }
  const time = year >= 0 ? wallClockToMs(year, month, day, dayMs, offset) : bsdTime(month, day, dayMs, offset, clock);
  if (Number.isNaN(time)) return false;
  out.time = time;
  out.end = j;
  out.zoned = zoned;
  return true;
}

/** ctime `Www Mmm dd hh:mm:ss[.ffffff] yyyy` at i, as Apache's error log and vsftpd write it. */
export function readCtime(s: string, i: number, offsetMin: number, out: TimeRead): boolean {
  const weekday = lowerLetter(s, i) >= 0 && lowerLetter(s, i + 1) >= 0 && lowerLetter(s, i + 2) >= 0;
  if (!weekday || !isSpaceAt(s, i + 3) || !readMonthDay(s, i + 4, out)) return false;
  const month = Math.floor(out.time / 100);
  const day = out.time % 100;
  if (!readClock(s, out.end, out)) return false;
  const y = d4(s, out.end + 1);
  if (!isSpaceAt(s, out.end) || y < 0) return false;
  const time = wallClockToMs(y, month, day, out.time, offsetMin);
  if (Number.isNaN(time)) return false;
  out.time = time;
  out.end += 5;
  out.zoned = false;
  return true;
}
