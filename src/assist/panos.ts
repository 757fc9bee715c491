/** PAN-OS THREAT/TRAFFIC syslog lines (CSV, PAN-OS 8–10 field order) into record fields. */
import { parse } from 'csv-parse/sync';
import { fieldAt, pushUnique, setOnce, type IncidentRecord, type ScalarField } from './record.js';

/** Offsets from the `type` column (THREAT/TRAFFIC, column 3 of the documented order). */
const FROM_TYPE: [number, ScalarField | 'asset' | 'time'][] = [
  [3, 'time'],
  [4, 'srcIp'],
  [5, 'dstIp'],
  [11, 'application'],
  [21, 'srcPort'],
  [22, 'dstPort'],
  [26, 'protocol'],
  [27, 'deviceAction'],
  [28, 'url'],
  [29, 'threatName'],
  [31, 'severity'],
  [32, 'direction'],
];
/** Offsets from the IP-protocol column, for lines with elided columns (`.....`): action, URL, threat, category, severity, direction. */
const FROM_PROTOCOL: [number, ScalarField][] = [
  [0, 'protocol'],
  [1, 'deviceAction'],
  [2, 'url'],
  [3, 'threatName'],
  [5, 'severity'],
  [6, 'direction'],
];

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'sctp', 'icmp6']);
/** An address as reports write them, redacted octets (`192.0.2.xxx`) included. */
const IP_LIKE = /(?<![\w.])\d{1,3}(?:\.(?:\d{1,3}|x+|y+)){3}(?![\w.])|(?<![\w:])[\da-f]{0,4}(?::[\da-f]{0,4}){2,7}(?![\w:])/gi;

interface Cell {
  text: string;
  start: number;
  end: number;
}

/** Splits a CSV line with csv-parse and recovers each cell's offsets in the line. */
function cells(line: string): Cell[] {
  const rows = parse(line, { relax_quotes: true, relax_column_count: true, skip_empty_lines: false, info: false }) as string[][];
  const values = rows[0] ?? [];
  const out: Cell[] = [];
  let pos = 0;
  for (const v of values) {
    // find the cell's text at or after the current position (quotes and spaces around it are skipped)
    const at = v === '' ? pos : line.indexOf(v, pos);
    const start = at < 0 ? pos : at;
    out.push({ text: v, start, end: start + v.length });
    const comma = line.indexOf(',', start + v.length);
    pos = comma < 0 ? line.length : comma + 1;
  }
  return out;
}

/** True when the line looks like a PAN-OS log (a THREAT or TRAFFIC type column). */
export function isPanosLine(line: string): boolean {
  return /,\s*(?:THREAT|TRAFFIC),/.test(line);
}

export function applyPanos(rec: IncidentRecord, part: string, line: string): void {
  let cs: Cell[];
  try {
    cs = cells(line);
  } catch {
    return; // not CSV after all: the key/value fields stand alone
  }
  const typeAt = cs.findIndex((c) => /^(?:THREAT|TRAFFIC)$/.test(c.text.trim()));
  if (typeAt < 0) return;
  const elided = cs.some((c) => /^\.{3,}$/.test(c.text.trim()));
  const put = (name: ScalarField | 'asset' | 'time', c: Cell | undefined) => {
    if (c === undefined || /^\.{2,}$/.test(c.text.trim())) return;
    let { start, end } = c;
    while (start < end && /[\s"]/.test(line[start] ?? '')) start++;
    while (end > start && /[\s"]/.test(line[end - 1] ?? '')) end--;
    const f = fieldAt(part, line, start, end);
    if (f === null) return;
    if (name === 'time') pushUnique(rec.times, f);
    else if (name === 'asset') pushUnique(rec.assets, f);
    else setOnce(rec, name, f);
  };
  // type and subtype are always where the type column says
  const vendor = cs[typeAt];
  const sub = cs[typeAt + 1];
  if (vendor !== undefined && sub !== undefined) {
    setOnce(rec, 'vendorClassification', fieldAt(part, line, vendor.start, sub.end));
  }
  put('time', cs[typeAt - 2]); // receive time: two columns before the type in every PAN-OS version
  if (!elided) for (const [off, name] of FROM_TYPE) put(name, cs[typeAt + off]);
  const proto = elided ? cs.findIndex((c, i) => i > typeAt && PROTOCOLS.has(c.text.trim().toLowerCase())) : typeAt + 26;
  if (elided) {
    // redacted or cut columns shift positions: addresses are taken in order (source, destination) from the
    // cells after the type, also where a cell holds more than one value; the tail is anchored on the protocol
    const ips: Cell[] = [];
    for (const c of cs.slice(typeAt + 2, proto < 0 ? undefined : proto)) {
      for (const m of c.text.matchAll(IP_LIKE)) if (m[0].includes('.') || m[0].includes('::') || m[0].split(':').length === 8) ips.push({ text: m[0], start: c.start + m.index, end: c.start + m.index + m[0].length });
    }
    put('srcIp', ips[0]);
    put('dstIp', ips[1]);
    if (proto >= 0) for (const [off, name] of FROM_PROTOCOL) put(name, cs[proto + off]);
  }
  if (proto < 0) return;
  const extra = (key: string, c: Cell | undefined) => {
    if (c === undefined || /^\.{2,}$/.test(c.text.trim())) return;
    const f = fieldAt(part, line, c.start, c.end);
    if (f !== null && rec.extra[key] === undefined) rec.extra[key] = f;
  };
  extra('PAN-OS category', cs[proto + 4]);
  const threat = cs[proto + 3];
  const id = threat === undefined ? null : /\((\d+)\)\s*$/.exec(threat.text);
  if (threat !== undefined && id !== null) extra('Threat ID', { text: id[1] as string, start: threat.start + id.index + 1, end: threat.start + id.index + 1 + (id[1] as string).length });
}
