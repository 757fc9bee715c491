/**
 * RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`, each header field `-` when absent.
 * Tolerant of repeated spaces between fields and of a line that stops after the header.
 */
import type { LogEvent } from '../core/index.js';
import { withoutBom } from './event.js';
import type { Clock } from './options.js';
import { readStructuredData, type StructuredData } from './structured-data.js';
import { readIso, type TimeRead } from './timestamp.js';

interface Cursor {
  pos: number;
}

/** The next space-delimited field (null for `-`), advancing the cursor past the spaces after it. */
function field(s: string, cur: Cursor): string | null | undefined {
  const start = cur.pos;
  if (start >= s.length) return undefined;
  let end = s.indexOf(' ', start);
  if (end < 0) end = s.length;
  let next = end;
  while (s.charCodeAt(next) === 32) next++;
  cur.pos = next;
  return end - start === 1 && s.charCodeAt(start) === 45 ? null : s.slice(start, end);
}

/**
 * Parses the header after `<PRI>1 ` (at i) into `ev`; false, with `ev` untouched, when the
 * timestamp or a header field is missing. Malformed structured data is kept as message text.
 */
export function parse5424(s: string, i: number, clock: Clock, ev: LogEvent): boolean {
  let time = clock.receivedAt;
  const cur: Cursor = { pos: i };
  if (s.charCodeAt(i) === 45 && s.charCodeAt(i + 1) === 32) {
    cur.pos = i + 2;
  } else {
    const ts: TimeRead = { time: 0, end: 0, zoned: false };
    if (!readIso(s, i, 45, false, clock.offsetMin, ts) || s.charCodeAt(ts.end) !== 32) return false;
    time = ts.time;
    cur.pos = ts.end + 1;
  }
  while (s.charCodeAt(cur.pos) === 32) cur.pos++;
  const host = field(s, cur);
  const app = field(s, cur);
  const pid = field(s, cur);
  const msgid = field(s, cur);
  if (host === undefined || app === undefined || pid === undefined || msgid === undefined) return false;
  let structured: StructuredData | null = null;
  let msgStart = cur.pos;
  if (s.charCodeAt(msgStart) === 45) {
    msgStart++;
  } else if (s.charCodeAt(msgStart) === 91) {
    const sd = readStructuredData(s, msgStart);
    if (sd !== null) {
      structured = sd.data;
      msgStart = sd.end;
    }
  }
  if (s.charCodeAt(msgStart) === 32) msgStart++;
  ev.time = time;
  ev.host = host;
  ev.app = app;
  ev.pid = pid;
  ev.msgid = msgid;
  ev.structured = structured;
  ev.message = withoutBom(s.slice(msgStart));
  ev.parsed = true;
  ev.format = 'rfc5424';
  return true;
}
