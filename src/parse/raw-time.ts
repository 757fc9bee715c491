/**
 * The time of a line that is not syslog, from a timestamp at its very start: ISO-8601
 * (`T` or space, `.`/`,` fraction, optional offset, optional ` UTC` or ` ±hh:mm`), `YYYY/MM/DD
 * hh:mm:ss`, either of them in brackets, ctime `Www Mmm dd hh:mm:ss[.f] yyyy` (bracketed in Apache's
 * error log, bare in vsftpd's), HDFS's `yyMMdd hhmmss`, Zeek's epoch seconds before a tab, Squid's
 * before its duration, client and result code (`1704189601.123    245 10.0.2.57 TCP_MISS/200 `), a bare
 * PAN-OS CSV log's generate time, a Suricata EVE record's opening `timestamp` and a Zeek JSON record's `ts`
 * among its first keys, and an Apache/nginx access log's bracketed time after its first fields
 * (clf-time.ts). Anything else: NaN, and the caller uses receivedAt.
 */
import { msOfDay, wallClockToMs } from './calendar.js';
import { clfTimeAt } from './clf-time.js';
import { d2, d4, digitAt, digitsEnd } from './digits.js';
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
/** Longest PAN-OS column before the generate time that is looked through (a serial number is 12–15 characters). */
const PAN_COLUMN = 64;

/** Index of the comma that ends the column starting at j (at most PAN_COLUMN long), or -1. */
function panColumnEnd(s: string, j: number): number {
  const limit = j + PAN_COLUMN;
  for (let k = j; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 44) return k;
    if (Number.isNaN(c)) return -1;
  }
  return -1;
}

/** True when s[a, b) is a PAN-OS log type: capitals, `-` or `_` (TRAFFIC, THREAT, SYSTEM, HIP-MATCH …). */
function isPanType(s: string, a: number, b: number): boolean {
  if (b === a) return false;
  for (let k = a; k < b; k++) {
    const c = s.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return false;
  }
  return true;
}

/**
 * `YYYY/MM/DD hh:mm:ss` at j, ending its column (a comma or the end of the line): its time at the clock's
 * offset, or NaN. Read by fixed positions, not by readIso: that would take `,0164…`, the serial number
 * in the next column, for a fraction of the second.
 */
function panTimeAt(s: string, j: number, clock: Clock): number {
  const y = d4(s, j);
  const mo = d2(s, j + 5);
  const d = d2(s, j + 8);
  const h = d2(s, j + 11);
  const mi = d2(s, j + 14);
  const sec = d2(s, j + 17);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return NaN;
  if (s.charCodeAt(j + 4) !== 47 || s.charCodeAt(j + 7) !== 47 || s.charCodeAt(j + 10) !== 32) return NaN;
  if (s.charCodeAt(j + 13) !== 58 || s.charCodeAt(j + 16) !== 58) return NaN;
  const after = s.charCodeAt(j + 19);
  if (after !== 44 && !Number.isNaN(after)) return NaN;
  return wallClockToMs(y, mo, d, msOfDay(h, mi, sec, 0), clock.offsetMin);
}

/**
 * A bare PAN-OS log, without a syslog header: `1,RECEIVE TIME,SERIAL,TYPE,SUBTYPE,-,GENERATE TIME,…`, the
 * layout every log type shares. Both times are written without a zone on the firewall's clock, so they are
 * read at the configured offset like any zone-less time. The generate time is the one taken: it is when the
 * dataplane logged the session end, threat or event; the receive time is when the management plane (or a
 * Panorama or log collector that forwards the log) took it in, later by seconds, or by hours when logs are
 * forwarded in arrears. The receive time serves only when the generate time cannot be read. NaN for any
 * other line; at most a few short columns from the line's start are looked at.
 */
function panOsTime(s: string, i: number, clock: Clock): number {
  const d = digitsEnd(s, i);
  if (d === i || d - i > 10 || s.charCodeAt(d) !== 44) return NaN;
  const received = panTimeAt(s, d + 1, clock);
  if (Number.isNaN(received) || s.charCodeAt(d + 20) !== 44) return NaN;
  const serial = d + 21;
  const type = panColumnEnd(s, serial);
  if (type <= serial) return NaN;
  const subtype = panColumnEnd(s, type + 1);
  if (subtype < 0 || !isPanType(s, type + 1, subtype)) return NaN;
  const spare = panColumnEnd(s, subtype + 1);
  const generated = spare < 0 ? -1 : panColumnEnd(s, spare + 1);
  if (generated < 0) return NaN;
  const t = panTimeAt(s, generated + 1, clock);
  return Number.isNaN(t) ? received : t;
}

/** Whether s from i is a PAN-OS CSV log, as panOsTime reads one (a firewall's line carries no syslog tag). */
export function isPanOsLog(s: string, i: number, clock: Clock): boolean {
  return !Number.isNaN(panOsTime(s, i, clock));
}

const JSON_END = [44, 125]; // , }
/**
 * How far into a JSON record `"ts"` is looked for: Zeek's JSON writer puts its log extensions (`_path`,
 * `_write_ts`, `_system_name`, any of a site's own, all `_`-prefixed) before it. A walk over the first
 * keys within the line's first JSON_HEAD characters, never a search of the whole line.
 */
const MAX_KEYS_BEFORE_TS = 8;
const JSON_HEAD = 512;

/** Index past the JSON string whose opening quote is at j, if it ends before limit; else -1. */
function jsonStringEnd(s: string, j: number, limit: number): number {
  for (let k = j + 1; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 34) return k + 1;
    if (c === 92) k++;
  }
  return -1;
}

function spacesEnd(s: string, j: number, limit: number): number {
  let k = j;
  while (k < limit && s.charCodeAt(k) === 32) k++;
  return k;
}

/** Index of the comma or `}` that ends a number or literal at j, before limit; else -1. */
function scalarEnd(s: string, j: number, limit: number): number {
  for (let k = j; k < limit; k++) {
    const c = s.charCodeAt(k);
    if (c === 44 || c === 125) return k;
  }
  return -1;
}

/**
 * Index of the value of the key `ts` when it is one of the first keys of the JSON object at i (after at
 * most MAX_KEYS_BEFORE_TS others, each with a string, number or literal value), or -1.
 */
function tsValueAt(s: string, i: number): number {
  const limit = Math.min(s.length, i + JSON_HEAD);
  let j = i + 1;
  for (let keys = 0; keys <= MAX_KEYS_BEFORE_TS; keys++) {
    j = spacesEnd(s, j, limit);
    if (s.charCodeAt(j) !== 34) return -1;
    const keyEnd = jsonStringEnd(s, j, limit);
    if (keyEnd < 0 || s.charCodeAt(keyEnd) !== 58) return -1;
    const v = spacesEnd(s, keyEnd + 1, limit);
    if (keyEnd === j + 4 && s.charCodeAt(j + 1) === 116 && s.charCodeAt(j + 2) === 115) return v;
    // Skip the value. An object or array ends the walk: its commas are not this object's.
    const c = s.charCodeAt(v);
    if (c === 123 || c === 91) return -1;
    const valueEnd = c === 34 ? jsonStringEnd(s, v, limit) : scalarEnd(s, v, limit);
    if (valueEnd < 0) return -1;
    const comma = spacesEnd(s, valueEnd, limit);
    if (comma >= limit || s.charCodeAt(comma) !== 44) return -1;
    j = comma + 1;
  }
  return -1;
}

/** JSON records with their time: Suricata EVE opening with `{"timestamp":"…"`, Zeek JSON's `"ts":…` among its first keys. */
function jsonTime(s: string, i: number, clock: Clock, out: TimeRead): number {
  if (s.startsWith('{"timestamp":"', i)) return isoLike(s, i + 14, clock, out) ? out.time : NaN;
  const v = tsValueAt(s, i);
  if (v < 0) return NaN;
  if (s.charCodeAt(v) === 34) return isoLike(s, v + 1, clock, out) ? out.time : NaN;
  return epochSecondsAt(s, v, JSON_END);
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
  if (digitAt(s, i) < 0) return readCtime(s, i, clock.offsetMin, out) ? out.time : clfTimeAt(s, i);
  if (isoLike(s, i, clock, out)) return out.time;
  const epoch = epochSecondsAt(s, i, TAB);
  if (!Number.isNaN(epoch)) return epoch;
  const squid = squidTimeAt(s, i);
  if (!Number.isNaN(squid)) return squid;
  const pan = panOsTime(s, i, clock);
  if (!Number.isNaN(pan)) return pan;
  const hdfs = hdfsAt(s, i, clock);
  return Number.isNaN(hdfs) ? clfTimeAt(s, i) : hdfs;
}
