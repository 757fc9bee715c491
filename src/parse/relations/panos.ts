/**
 * Palo Alto PAN-OS TRAFFIC and THREAT logs (CSV after the syslog header). Columns, 0-based from the
 * first: 3 type, 7 source, 8 destination, 12 source user, 25 destination port, 30 action, and for
 * THREAT 4 the content type, 31 the URL and 32 the threat name. URL-filtering logs (`THREAT,url`) record web
 * requests, not detections: they are flows (allowed or blocked by the action) and a `request` edge from the
 * client to the URL's host name, never alerts. A line without quotes is split on commas (what CSV means then); a quoted
 * one by the RFC 4180 splitter in csv.ts.
 */
import { splitCsv } from './csv.js';
import { addFlow, addRelation, addServedAt, ipEntity, portEntity, urlRequestTarget, userEntity, type Relation } from './types.js';

const SUBTYPE = 4;
const SRC = 7;
const DST = 8;
const SRC_USER = 12;
const DPORT = 25;
const ACTION = 30;
const URL = 31;
const THREAT_NAME = 32;
const ALLOWED = new Set(['allow', 'alert', 'continue', 'override']);

/** Where the CSV starts: three columns before the type column (the second holds a space: `2024/01/02 10:00:04`). */
function csvStart(text: string, typeAt: number): number {
  let at = typeAt;
  for (let k = 0; k < 2; k++) {
    at = text.lastIndexOf(',', at - 1);
    if (at < 0) return -1;
  }
  // the first column (FUTURE_USE, usually `1`) begins after the space before it, or at the start
  return text.lastIndexOf(' ', at) + 1;
}

function columns(line: string): string[] {
  return line.indexOf('"') < 0 ? line.split(',', THREAT_NAME + 1) : splitCsv(line, THREAT_NAME + 1);
}

/**
 * Where the type column is, and whether it says THREAT: the first `,TRAFFIC,` or `,THREAT,`. A later one
 * is inside a column (a URL can hold `,TRAFFIC,`); the type is column 3, before any text a client chose.
 */
function typeColumn(text: string): { at: number; threat: boolean } {
  const traffic = text.indexOf(',TRAFFIC,');
  const threat = text.indexOf(',THREAT,');
  if (threat >= 0 && (traffic < 0 || threat < traffic)) return { at: threat, threat: true };
  return { at: traffic, threat: false };
}

export function panos(text: string, out: Relation[]): boolean {
  const { at: typeAt, threat } = typeColumn(text);
  if (typeAt < 0) return false;
  const start = csvStart(text, typeAt);
  if (start < 0) return false;
  const cols = columns(text.slice(start));
  if (cols.length <= ACTION) return false;
  const src = ipEntity(cols[SRC]);
  const dst = ipEntity(cols[DST]);
  const user = cols[SRC_USER] ?? '';
  if (user !== '') addRelation(out, 'user', src, userEntity(user));
  const action = (cols[ACTION] ?? '').toLowerCase();
  if (threat && cols[SUBTYPE] !== 'url') {
    addRelation(out, 'alert', src, dst);
    const name = cols[THREAT_NAME];
    if (name !== undefined && name !== '') addRelation(out, 'alert', src, 'sig:' + name);
    if (!ALLOWED.has(action)) addFlow(out, false, src, dst, portEntity(cols[DPORT]));
    return true;
  }
  addFlow(out, ALLOWED.has(action), src, dst, portEntity(cols[DPORT]));
  if (threat) {
    addRelation(out, 'request', src, urlRequestTarget(cols[URL]));
    addServedAt(out, cols[URL], dst);
  }
  return true;
}
