/**
 * Firewalls that log bare CSV, where ports and users are known only by their column: Palo Alto
 * PAN-OS TRAFFIC/THREAT (`1,2023/07/06 08:11:40,0164...,THREAT,...,47094,22,...`) and pfSense /
 * OPNsense filterlog (`53,,,1000000301,em0,match,block,in,4,...,tcp,460,10.0.2.2,10.0.2.15,53742,22,...`).
 * Addresses need no help: the word scan finds them.
 *
 * Columns are found by walking the commas in place (as `split(',', limit)` would cut them) rather
 * than by splitting: a PAN-OS line has dozens of columns and only a few of them matter. A URL-filtering
 * log (`THREAT,url`) also gives its URL, which PAN-OS writes without a scheme.
 */
import type { Entity } from '../../core/index.js';
import { addEntity, portAt } from './collect.js';

// PAN-OS columns, counted from the log type (column 3).
const PAN_SRC_USER = 12 - 3;
const PAN_DST_USER = 13 - 3;
const PAN_SRC_PORT = 24 - 3;
const PAN_NAT_DST_PORT = 27 - 3;
/** THREAT logs: the content type right after the log type, and the quoted URL/file-name column ("misc") */
const PAN_SUBTYPE = 4 - 3;
const PAN_MISC = 31 - 3;

// filterlog: rule,subrule,anchor,tracker,interface,reason,action,direction,ipversion,...
const FILTERLOG = /(?:^|\s)\d*,[^,\s]*,[^,\s]*,\d*,[^,\s]+,[a-z-]+,[a-z-]+,(?:in|out),([46]),/;
// Columns of protocol name and source port after the ipversion column (destination port follows).
const FILTERLOG_V4 = { proto: 7, srcPort: 11 };
const FILTERLOG_V6 = { proto: 3, srcPort: 8 };

const MAX_FIELDS = PAN_MISC + 1;
/** Field k is [bounds[2k], bounds[2k + 1]); reused from line to line. */
const bounds = new Int32Array(2 * MAX_FIELDS);

/**
 * Cuts codes[from, end) at commas into at most `limit` fields (the last one ends at the next comma,
 * as with split's limit) into `bounds`; returns how many there are.
 */
function cutFields(codes: Uint16Array, from: number, end: number, limit: number): number {
  let start = from;
  for (let k = 0; k < limit; k++) {
    let i = start;
    while (i < end && codes[i] !== 44) i++;
    bounds[2 * k] = start;
    bounds[2 * k + 1] = i;
    if (i >= end) return k + 1;
    start = i + 1;
  }
  return limit;
}

function addPort(codes: Uint16Array, k: number, out: Entity[], skipZero: boolean): void {
  const port = portAt(codes, bounds[2 * k]!, bounds[2 * k + 1]!);
  // A NAT port of 0 means "no translation", not port 0.
  if (port !== null && !(skipZero && port === '0')) addEntity(out, 'port', port);
}

function addUser(codes: Uint16Array, text: string, k: number, out: Entity[]): void {
  const a = bounds[2 * k]!;
  const b = bounds[2 * k + 1]!;
  if (a === b) return;
  for (let i = a; i < b; i++) if (codes[i] === 34) return;
  addEntity(out, 'user', text.slice(a, b).toLowerCase());
}

/**
 * Index of the first `,WORD,` in text, or -1. Searched as `WORD,` and then checked for the comma
 * before it: a search that starts with a comma stops at every column of a CSV line.
 */
function columnAt(text: string, word: string): number {
  let at = text.indexOf(word);
  while (at >= 0 && (at === 0 || text.charCodeAt(at - 1) !== 44)) at = text.indexOf(word, at + 1);
  return at < 0 ? -1 : at - 1;
}

/**
 * The URL of a PAN-OS URL-filtering log (`THREAT,url,…`): its misc column, quoted, as PAN-OS writes it
 * (host and path without a scheme: `www.example.com/login.php?x=1`). Commas inside the quotes are part of it.
 */
function addPanUrl(text: string, out: Entity[]): void {
  const a = bounds[2 * PAN_MISC]!;
  if (text.charCodeAt(a) !== 34) return;
  let b = text.indexOf('",', a + 1);
  if (b < 0) b = text.endsWith('"') ? text.length - 1 : -1;
  if (b <= a + 1) return;
  const url = text.slice(a + 1, b);
  if (!/[\s"]/.test(url)) addEntity(out, 'url', url);
}

function addPanOs(codes: Uint16Array, text: string, out: Entity[]): boolean {
  // The type is column 3, before any text a client chose: the first marker is it, and a later one is
  // inside a column (a URL can hold `,TRAFFIC,`, a user or an application name `,THREAT,`).
  const threatAt = columnAt(text, 'THREAT,');
  const trafficAt = columnAt(text, 'TRAFFIC,');
  const threat = threatAt >= 0 && (trafficAt < 0 || threatAt < trafficAt);
  const at = threat ? threatAt : trafficAt;
  if (at < 0) return false;
  const fields = cutFields(codes, at + 1, text.length, MAX_FIELDS);
  if (fields <= PAN_NAT_DST_PORT) return false;
  addUser(codes, text, PAN_SRC_USER, out);
  addUser(codes, text, PAN_DST_USER, out);
  for (let k = PAN_SRC_PORT; k <= PAN_NAT_DST_PORT; k++) addPort(codes, k, out, k > PAN_SRC_PORT + 1);
  if (threat && fields === MAX_FIELDS && text.startsWith('url,', bounds[2 * PAN_SUBTYPE]!)) addPanUrl(text, out);
  return true;
}

function addFilterlog(codes: Uint16Array, text: string, out: Entity[]): void {
  const m = FILTERLOG.exec(text);
  if (m === null) return;
  const cols = m[1] === '4' ? FILTERLOG_V4 : FILTERLOG_V6;
  const count = cutFields(codes, m.index + m[0].length, text.length, cols.srcPort + 2);
  if (count <= cols.proto) return;
  const proto = text.slice(bounds[2 * cols.proto], bounds[2 * cols.proto + 1]).toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') return;
  if (count > cols.srcPort) addPort(codes, cols.srcPort, out, false);
  if (count > cols.srcPort + 1) addPort(codes, cols.srcPort + 1, out, false);
}

/** `codes` are the code units of `text` (codes.ts). */
export function addFirewallCsvFields(codes: Uint16Array, text: string, out: Entity[]): void {
  // Both formats need commas; most lines that name `tcp` or `udp` (iptables) have none.
  if (text.indexOf(',') < 0) return;
  if (!addPanOs(codes, text, out)) addFilterlog(codes, text, out);
}

