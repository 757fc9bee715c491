/**
 * RFC 3164 ("BSD syslog") as devices really send it: optional Cisco sequence number and `*`/`.`
 * clock marks, a BSD or ISO-8601 timestamp, an optional hostname, an optional `tag[pid]:`.
 */
import type { LogEvent } from '../core/index.js';
import { digitsEnd } from './digits.js';
import { withoutBom } from './event.js';
import type { Clock } from './options.js';
import { readBsd, readIso, type TimeRead } from './timestamp.js';

const MAX_TAG = 64;
const MAX_HOST = 255;

interface Tag {
  app: string | null;
  pid: string | null;
  msgStart: number;
}

/** Index past a Cisco sequence number `000123: ` at i (i itself when absent). */
function skipSequenceNumber(s: string, i: number): number {
  const end = digitsEnd(s, i);
  if (end === i || end - i > 10 || s.charCodeAt(end) !== 58 || s.charCodeAt(end + 1) !== 32) return i;
  let j = end + 2;
  while (s.charCodeAt(j) === 32) j++;
  return j;
}

/**
 * Reads `app:` or `app[pid]:` at the start of the token [a, b) into `out`. `app:` must end the token
 * (`http://x` is no tag); after `app[pid]:` the message may follow without a space.
 */
function readTag(s: string, a: number, b: number, out: Tag): boolean {
  let t = a;
  while (t < b) {
    const c = s.charCodeAt(t);
    if (c === 91 || c === 58) break;
    t++;
  }
  if (t === a || t === b || t - a > MAX_TAG) return false;
  let colon = t;
  if (s.charCodeAt(t) === 91) {
    const close = s.indexOf(']', t + 1);
    if (close < 0 || close >= b || close === t + 1 || s.charCodeAt(close + 1) !== 58) return false;
    out.pid = s.slice(t + 1, close);
    colon = close + 1;
  } else if (t !== b - 1) {
    return false;
  } else {
    out.pid = null;
  }
  // `router01 91: %SYS-5-...`: a number is a Cisco sequence number, not a program.
  out.app = digitsEnd(s, a) === t ? null : s.slice(a, t);
  out.msgStart = s.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1;
  return true;
}

/** A hostname, FQDN or address: letters, digits and `._-:/%`, with at least one letter or digit. */
function isHostToken(s: string, a: number, b: number): boolean {
  if (b <= a || b - a > MAX_HOST || s.charCodeAt(b - 1) === 58) return false;
  let alnum = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122)) alnum = true;
    else if (c !== 46 && c !== 45 && c !== 95 && c !== 58 && c !== 47 && c !== 37) return false;
  }
  return alnum;
}

const MIN_LEVEL = 3;
const MAX_LEVEL = 8;

/** s[a, b) as base-27 digits (a = 1 .. z = 26, any case), or -1 when it is not 3..8 ASCII letters: a set lookup without a slice. */
function letterKey(s: string, a: number, b: number): number {
  if (b - a < MIN_LEVEL || b - a > MAX_LEVEL) return -1;
  let key = 0;
  for (let i = a; i < b; i++) {
    const l = s.charCodeAt(i) | 32;
    if (l < 97 || l > 122) return -1;
    key = key * 27 + (l - 96);
  }
  return key;
}

/**
 * Log levels, which application logs write where syslog has its host (`2024-06-01T10:00:00Z ERROR db: …`):
 * never a host, in any case.
 */
const LEVELS: ReadonlySet<number> = new Set(
  ['trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'crit', 'critical', 'fatal'].map((w) => letterKey(w, 0, w.length)),
);

function isLevelWord(s: string, a: number, b: number): boolean {
  return LEVELS.has(letterKey(s, a, b));
}

function tokenEnd(s: string, i: number): number {
  const sp = s.indexOf(' ', i);
  return sp < 0 ? s.length : sp;
}

function hasDotOrColon(s: string): boolean {
  return s.indexOf('.') >= 0 || s.indexOf(':') >= 0;
}

/**
 * Parses a 3164 header at i (just past the PRI, if any) into `ev`; false, with `ev` untouched, when
 * the line has no recognizable timestamp. Without a PRI, an ISO timestamp counts only when followed
 * by a host and then a tag (or by a dotted host): otherwise it is an application log, not syslog.
 */
export function parse3164(s: string, i: number, hasPri: boolean, clock: Clock, ev: LogEvent): boolean {
  let j = skipSequenceNumber(s, i);
  const mark = s.charCodeAt(j);
  if (mark === 42 || mark === 46) j++;
  const ts: TimeRead = { time: 0, end: 0, zoned: false };
  let iso = false;
  if (!readBsd(s, j, clock, ts)) {
    if (!readIso(s, j, 45, false, clock.offsetMin, ts)) return false;
    iso = true;
  }
  const strictIso = iso && !hasPri;
  const n = s.length;
  j = ts.end;
  const tag: Tag = { app: null, pid: null, msgStart: n };
  let host: string | null = null;
  if (s.charCodeAt(j) === 58) {
    // Cisco: `*Mar  1 00:00:01.123: %SYS-5-CONFIG_I: ...` has no hostname after the timestamp.
    if (strictIso) return false;
    j++;
    while (s.charCodeAt(j) === 32) j++;
    tag.msgStart = j;
  } else {
    if (j < n && s.charCodeAt(j) !== 32) return false;
    while (s.charCodeAt(j) === 32) j++;
    const t1 = tokenEnd(s, j);
    if (!readTag(s, j, t1, tag)) {
      if (isHostToken(s, j, t1) && !isLevelWord(s, j, t1)) {
        host = s.slice(j, t1);
        let m = t1;
        while (s.charCodeAt(m) === 32) m++;
        if (!readTag(s, m, tokenEnd(s, m), tag)) tag.msgStart = m;
      } else {
        tag.msgStart = j;
      }
    }
    if (strictIso && (host === null || (tag.app === null && !hasDotOrColon(host)))) return false;
  }
  ev.time = ts.time;
  ev.host = host;
  ev.app = tag.app;
  ev.pid = tag.pid;
  ev.message = withoutBom(s.slice(tag.msgStart));
  ev.parsed = true;
  ev.format = 'rfc3164';
  return true;
}
