/** PAN-OS THREAT/TRAFFIC syslog lines (CSV, PAN-OS 8–10 field order) into record fields. */
import { fieldAt, markVendorLine, pushUnique, setOnce, type Field, type IncidentRecord, type ScalarField } from './record.js';

/** Offsets from the `type` column (THREAT/TRAFFIC, column 3 of the documented order). */
const FROM_TYPE: [number, ScalarField | 'asset' | 'time'][] = [
  [3, 'time'],
  [4, 'srcIp'],
  [5, 'dstIp'],
  [9, 'user'], // the source user (`corp\\alice`)
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
/** Offsets from the IP-protocol column, for lines read by what their cells hold (elided `.....` columns, or columns not in PAN-OS order): action, URL, threat, category, severity, direction. */
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
/** A whole cell that is one address (or empty, as a TRAFFIC line may leave one): the source and destination columns. */
const ADDRESS_CELL = /^(?:|\d{1,3}(?:\.(?:\d{1,3}|x+|y+)){3}|[\da-f]{0,4}(?::[\da-f]{0,4}){2,7}(?:%\w+)?)$/i;
/** A cell that holds a date (2026/11/20 03:14:07, 2026-12-06T06:12:03Z, redacted 2018/11/xx): the receive and generated time columns. */
const DATE_CELL = /\d{4}[-/][\dx]{1,2}[-/][\dx]{1,2}|[\dx]{1,2}[-/][\dx]{1,2}[-/]\d{4}/i;

interface Cell {
  /** the column number in the line (0-based) */
  index: number;
  /** the value, unquoted (`""` made `"`) */
  text: string;
  /** where the value is written in the line: inside the quotes of a quoted cell */
  start: number;
  end: number;
  /** true when `text` is the line's text from start to end (not when a `""` was unquoted) */
  exact: boolean;
}

/**
 * Splits a CSV line into cells with their offsets, unquoting as it goes: a cell whose first non-blank is `"`
 * runs to the closing `"` (a `""` inside is one `"`, commas inside are text); a quote that is never closed, or
 * one inside a cell, is text (as csv-parse's relax_quotes reads it). Finding the unquoted value again in the
 * line afterwards missed `""` and stopped at a comma inside quotes, so the URL came out cut and wrong.
 */
export function cells(line: string): Cell[] {
  const out: Cell[] = [];
  let pos = 0;
  for (let index = 0; pos <= line.length; index++) {
    const q = /^[ \t]*"/.exec(line.slice(pos, pos + 256));
    let close = -1;
    let text = '';
    if (q !== null) {
      let i = pos + q[0].length;
      for (; i < line.length; i++) {
        if (line[i] !== '"') text += line[i];
        else if (line[i + 1] === '"') text += line[++i];
        else break;
      }
      if (i < line.length) close = i;
    }
    const comma = line.indexOf(',', close < 0 ? pos : close);
    const next = comma < 0 ? line.length : comma;
    if (q !== null && close >= 0) {
      // text between the closing quote and the comma is kept, as a lenient reader does
      const after = line.slice(close + 1, next);
      const start = pos + q[0].length;
      const value = after.trim() === '' ? text : text + after;
      const end = after.trim() === '' ? close : next;
      out.push({ index, text: value, start, end, exact: value === line.slice(start, end) });
    } else {
      out.push({ index, text: line.slice(pos, next), start: pos, end: next, exact: true });
    }
    pos = next + 1;
  }
  return out;
}

/** True when the line looks like a PAN-OS log (a THREAT or TRAFFIC type column). */
export function isPanosLine(line: string): boolean {
  return /,\s*(?:THREAT|TRAFFIC),/.test(line);
}

/**
 * The first PAN-OS line of a text held in `part` (a pasted report's, a free-text query's), read for its fields as a
 * part of its own, `panos`, and marked a vendor line in both parts; false when the text has none.
 */
export function applyPanosLineOf(rec: IncidentRecord, part: string, text: string): boolean {
  // a vendor line already read (an Event Detail's): replacing the part would leave its fields pointing into another text
  if (rec.parts.panos !== undefined) return false;
  let at = 0;
  for (const line of text.split('\n')) {
    if (isPanosLine(line)) {
      rec.parts.panos = line;
      markVendorLine(rec, part, at, at + line.length);
      markVendorLine(rec, 'panos', 0, line.length);
      applyPanos(rec, 'panos', line);
      return true;
    }
    at += line.length + 1;
  }
  return false;
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
  // a line with elided columns (`.....`), or a row that only looks like PAN-OS (a SIEM export, a hand-made CSV row,
  // whose address columns are not where PAN-OS writes them), is read by what its cells hold, not by position:
  // read by position, such a row gave a URL as the source address and an address as a time
  const inOrder = [cs[typeAt + 4], cs[typeAt + 5]].every((c) => c !== undefined && ADDRESS_CELL.test(c.text.trim()));
  const shifted = !inOrder || cs.some((c) => /^\.{3,}$/.test(c.text.trim()));
  /**
   * A field for `c.text` from `from` to `to`, quotes and blanks around it cut: pointing into the line where the
   * cell is written as it reads, else into a part of its own holding the unquoted cell (`panos.cell[31]`).
   */
  const fieldIn = (c: Cell, from = 0, to = c.text.length): Field | null => {
    while (from < to && /[\s"]/.test(c.text[from] ?? '')) from++;
    while (to > from && /[\s"]/.test(c.text[to - 1] ?? '')) to--;
    if (c.exact) return fieldAt(part, line, c.start + from, c.start + to);
    const own = `${part}.cell[${c.index}]`;
    const f = fieldAt(own, c.text, from, to);
    if (f !== null) {
      rec.parts[own] = c.text;
      markVendorLine(rec, own, 0, c.text.length);
    }
    return f;
  };
  const put = (name: ScalarField | 'asset' | 'time', c: Cell | undefined, from?: number, to?: number) => {
    if (c === undefined || /^\.{2,}$/.test(c.text.trim())) return;
    const f = fieldIn(c, from, to);
    if (f === null) return;
    if (name === 'time' && !DATE_CELL.test(f.value)) return;
    if (name === 'time') pushUnique(rec.times, f);
    else if (name === 'asset') pushUnique(rec.assets, f);
    else setOnce(rec, name, f);
  };
  // type and subtype are always where the type column says
  const vendor = cs[typeAt];
  const sub = cs[typeAt + 1];
  if (vendor !== undefined && sub !== undefined) {
    // an empty subtype adds nothing but the comma before it
    setOnce(rec, 'vendorClassification', fieldAt(part, line, vendor.start, sub.text.trim() === '' ? vendor.end : sub.end));
  }
  put('time', cs[typeAt - 2]); // receive time: two columns before the type in every PAN-OS version
  if (!shifted) for (const [off, name] of FROM_TYPE) put(name, cs[typeAt + off]);
  const proto = shifted ? cs.findIndex((c, i) => i > typeAt && PROTOCOLS.has(c.text.trim().toLowerCase())) : typeAt + 26;
  if (shifted) {
    // redacted or cut columns shift positions: addresses are taken in order (source, destination) from the
    // cells after the type, also where a cell holds more than one value; the tail is anchored on the protocol
    const ips: { c: Cell; from: number; to: number }[] = [];
    for (const c of cs.slice(typeAt + 2, proto < 0 ? undefined : proto)) {
      for (const m of c.text.matchAll(IP_LIKE)) if (m[0].includes('.') || m[0].includes('::') || m[0].split(':').length === 8) ips.push({ c, from: m.index, to: m.index + m[0].length });
    }
    for (const [i, name] of (['srcIp', 'dstIp'] as const).entries()) {
      const ip = ips[i];
      if (ip !== undefined) put(name, ip.c, ip.from, ip.to);
    }
    if (proto >= 0) for (const [off, name] of FROM_PROTOCOL) put(name, cs[proto + off]);
  }
  if (proto < 0) return;
  const extra = (key: string, c: Cell | undefined, from?: number, to?: number) => {
    if (c === undefined || /^\.{2,}$/.test(c.text.trim()) || rec.extra[key] !== undefined) return;
    const f = fieldIn(c, from, to);
    if (f !== null) rec.extra[key] = f;
  };
  extra('PAN-OS category', cs[proto + 4]);
  const threat = cs[proto + 3];
  const id = threat === undefined ? null : /\((\d+)\)\s*$/.exec(threat.text);
  if (threat !== undefined && id !== null) extra('Threat ID', threat, id.index + 1, id.index + 1 + (id[1] as string).length);
}
