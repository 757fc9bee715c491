import type { Entity, LogEvent, RawRecord } from '../core/index.js';
import { withoutColourCodes } from './ansi.js';
import { collectEntities } from './entities/index.js';
import { rawEvent, readPri, priEnd, withoutBom } from './event.js';
import { makeClock, type Clock, type ParseOptions } from './options.js';
import { isPanOsLog, leadingTime } from './raw-time.js';
import { parse3164 } from './rfc3164.js';
import { parse5424 } from './rfc5424.js';

/** Entities of the free text, plus those of RFC 5424 structured-data values (`[origin ip="10.0.0.1"]`). */
function eventEntities(ev: LogEvent): Entity[] {
  const out: Entity[] = [];
  collectEntities(ev.parsed ? ev.message : ev.raw, out);
  if (ev.structured !== null) {
    for (const id of Object.keys(ev.structured)) {
      const params = ev.structured[id]!;
      for (const name of Object.keys(params)) collectEntities(params[name]!, out);
    }
  }
  return out;
}

/**
 * The app of a PAN-OS firewall's line, which has no syslog tag (`<14>Dec  3 … fw01 1,2026/12/03 …,TRAFFIC,…`):
 * named for its product, as other lines are for their program, so the App column and facet, and `app:`,
 * tell firewall lines apart. Until session 39 they read "(none)".
 */
export const PAN_OS_APP = 'panos';

function parseHeader(rec: RawRecord, opts: ParseOptions | undefined): LogEvent {
  const clock = makeClock(rec.receivedAt, opts);
  const ev = readHeader(rec, clock);
  if (ev.app === null && isPanOsLog(ev.message, 0, clock)) ev.app = PAN_OS_APP;
  return ev;
}

function readHeader(rec: RawRecord, clock: Clock): LogEvent {
  // The header is read as a terminal shows the line: a colour code around the program
  // (`\x1b[32msshd\x1b[0m[4242]:`) or the host is in neither field. `raw` stays the line as received.
  const s = withoutColourCodes(rec.line);
  const ev = rawEvent(rec);
  const start = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const pri = readPri(s, start);
  if (pri < 0) {
    if (!parse3164(s, start, false, clock, ev)) {
      const t = leadingTime(s, start, clock);
      if (!Number.isNaN(t)) ev.time = t;
    }
    return ev;
  }
  ev.severity = pri & 7;
  ev.facility = pri >> 3;
  const pos = priEnd(s, start);
  if (s.charCodeAt(pos) === 49 && s.charCodeAt(pos + 1) === 32 && parse5424(s, pos + 2, clock, ev)) return ev;
  if (parse3164(s, pos, true, clock, ev)) return ev;
  // A valid PRI makes it syslog even without a header: the rest is the message, timed as the same text
  // without the PRI is (Python's SysLogHandler sends `<14>` and the formatted record, time and all; an
  // EVE record `<14>{"timestamp":…}`), and on receipt when it opens with no time.
  const t = leadingTime(s, s.charCodeAt(pos) === 0xfeff ? pos + 1 : pos, clock);
  if (!Number.isNaN(t)) ev.time = t;
  ev.message = withoutBom(s.slice(pos));
  ev.parsed = true;
  ev.format = 'rfc3164';
  return ev;
}

/**
 * Turns one received line into an event. Never throws: a line no parser recognizes comes back raw
 * (`parsed: false`), and `raw` is always exactly `rec.line`. A line whose header names no host (or that
 * has no header) takes the host its source gives (`rec.host`: a syslog sender's address, a host named
 * for a file or an ingest); a header's own host wins.
 */
export function parseLine(rec: RawRecord, opts?: ParseOptions): LogEvent {
  let ev: LogEvent;
  try {
    ev = parseHeader(rec, opts);
  } catch {
    // Unreachable by design; the ingest path must survive a parser bug on one hostile line.
    ev = rawEvent(rec);
    if (rec.host !== undefined) ev.host = rec.host;
    return ev;
  }
  if (ev.host === null && rec.host !== undefined) ev.host = rec.host;
  if (opts?.entities === false) return ev;
  try {
    ev.entities = eventEntities(ev);
  } catch {
    ev.entities = [];
  }
  return ev;
}
