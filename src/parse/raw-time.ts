/**
 * The time of a line that is not syslog, from a timestamp at its very start: ISO-8601
 * (`T` or space, `.`/`,` fraction, optional offset, optional ` UTC` or ` ±hh:mm`), `YYYY/MM/DD
 * hh:mm:ss`, either of them in brackets, ctime `Www Mmm dd hh:mm:ss[.f] yyyy` (bracketed in Apache's
 * error log, bare in vsftpd's), HDFS's `yyMMdd hhmmss`, Zeek's epoch seconds before a tab, Squid's
 * before its duration, client and result code (`1704189601.123    245 10.0.2.57 TCP_MISS/200 `), and the
 * time that opens a Suricata EVE or Zeek JSON record. Anything else: NaN, and the caller uses receivedAt.
 */
import { msOfDay, wallClockToMs } from './calendar.js';
import { d2, digitAt } from './digits.js';
import type { Clock } from './options.js';
import { readCtime, readIso, utcSuffixAt, type TimeRead } from './timestamp.js';

/** ` +hh:mm` / ` -hh:mm` after an app log's time (bitwarden, .NET): offset minutes, or NaN. */
function spacedOffsetAt(s: string, j: number): number {
  if (s.charCodeAt(j) !== 32) return NaN;
  const sign = s.charCodeAt(j + 1);
  const hh = d2(s, j + 2);
  // `+hh:mm`, or `+hhmm` as Ruby and strftime's %z write it (then not followed by another digit)
  const colon = s.charCodeAt(j + 4) === 58;
  const mm = d2(s, colon ? j + 5 : j + 4);
  if (!colon && digitAt(s, j + 6) >= 0) return NaN;
  if ((sign !== 43 && sign !== 45) || hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
  return (sign === 45 ? -1 : 1) * (hh * 60 + mm);
}

function isoLike(s: string, i: number, clock: Clock, out: TimeRead): boolean {
  if (!readIso(s, i, 45, true, clock.offsetMin, out) && !readIso(s, i, 47, true, clock.offsetMin, out)) return false;
  // An offset written after a space only counts when the time itself carried none.
  if (out.zoned) return true;
  const j = out.end;
  if (utcSuffixAt(s, j)) {
    out.time += clock.offsetMin * 60_000;
    return true;
  }
  const offset = spacedOffsetAt(s, j);
  if (!Number.isNaN(offset)) out.time += (clock.offsetMin - offset) * 60_000;
  return true;
}

/** HDFS `081109 203615 ` (two-digit year taken as 20yy). */
function hdfsAt(s: string, i: number, clock: Clock): number {
  if (s.charCodeAt(i + 6) !== 32 || s.charCodeAt(i + 13) !== 32 || digitAt(s, i + 14) < 0) return NaN;
  const y = d2(s, i);
  const mo = d2(s, i + 2);
  const d = d2(s, i + 4);
  const h = d2(s, i + 7);
  const mi = d2(s, i + 9);
  const sec = d2(s, i + 11);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return NaN;
  return wallClockToMs(2000 + y, mo, d, msOfDay(h, mi, sec, 0), clock.offsetMin);
}

/**
 * Epoch seconds with a fraction at i (`1521053384.406235`, as Zeek writes `ts`), followed by one of
 * `ends` (char codes); ms or NaN. Ten integer digits only: 2001-09-09 to 2286, nothing else looks like it.
 */
function epochSecondsAt(s: string, i: number, ends: readonly number[]): number {
  let j = i;
  while (digitAt(s, j) >= 0) j++;
  if (j - i !== 10 || s.charCodeAt(j) !== 46) return NaN;
  let k = j + 1;
  while (digitAt(s, k) >= 0 && k - j <= 9) k++;
  if (k === j + 1 || !ends.includes(s.charCodeAt(k))) return NaN;
  return Math.round(Number(s.slice(i, k)) * 1000);
}

const TAB = [9];
const SPACE = [32];
/** what follows the time in Squid's native access.log: duration, client, result code/status */
const SQUID_REST = /^ +\d+ \S+ [A-Z_]+\/\d{3} /;

/** Squid's `1704189601.123    245 10.0.2.57 TCP_MISS/200 …`: its time (ms), or NaN for any other line. */
function squidTimeAt(s: string, i: number): number {
  const t = epochSecondsAt(s, i, SPACE);
  if (Number.isNaN(t) || s.charCodeAt(i + 14) !== 32) return NaN;
  return SQUID_REST.test(s.slice(i + 14, i + 160)) ? t : NaN;
}
const JSON_END = [44, 125]; // , }

/** JSON records that open with their time: Suricata EVE `{"timestamp":"…"`, Zeek JSON `{"ts":…`. */
function jsonTime(s: string, i: number, clock: Clock, out: TimeRead): number {
  if (s.startsWith('{"timestamp":"', i)) return isoLike(s, i + 14, clock, out) ? out.time : NaN;
  if (!s.startsWith('{"ts":', i)) return NaN;
  if (s.charCodeAt(i + 6) === 34) return isoLike(s, i + 7, clock, out) ? out.time : NaN;
  return epochSecondsAt(s, i + 6, JSON_END);
}

/** Time of a leading timestamp at i, or NaN. */
export function leadingTime(s: string, i: number, clock: Clock): number {
  const out: TimeRead = { time: NaN, end: 0, zoned: false };
  const c = s.charCodeAt(i);
  if (c === 123) return jsonTime(s, i, clock, out);
  if (c === 91) {
    if (digitAt(s, i + 1) >= 0) return isoLike(s, i + 1, clock, out) ? out.time : NaN;
    return readCtime(s, i + 1, clock.offsetMin, out) && s.charCodeAt(out.end) === 93 ? out.time : NaN;
  }
  if (digitAt(s, i) < 0) return readCtime(s, i, clock.offsetMin, out) ? out.time : NaN;
  if (isoLike(s, i, clock, out)) return out.time;
  const epoch = epochSecondsAt(s, i, TAB);
  if (!Number.isNaN(epoch)) return epoch;
  const squid = squidTimeAt(s, i);
  return Number.isNaN(squid) ? hdfsAt(s, i, clock) : squid;
}
