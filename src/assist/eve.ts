/**
 * A Suricata EVE JSON event (an `alert` as an IDS console copies it) into a record; each field points at its
 * JSON path (`json:/alert/signature`), as a VERIS incident's do. Read as text, such a paste kept its source
 * address only, with the raw JSON as its summary: the destination, ports and signature were lost.
 */
import { addInternalAssets } from './alert-report.js';
import { classify } from './categories.js';
import { emptyRecord, pushUnique, setOnce, type IncidentRecord, type ScalarField } from './record.js';
import { obj, type Json } from './veris.js';

/** An EVE event: an `event_type` and a flow's address (`src_ip` or `dest_ip`). */
export function looksLikeEve(v: unknown): v is Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.event_type === 'string' && (typeof o.src_ip === 'string' || typeof o.dest_ip === 'string');
}

/** The value at `path` of `v` as text (a number in the path indexes a list): a string trimmed, a number written out; null for anything else or blank. */
function textOf(v: Record<string, Json>, path: string): string | null {
  let at: Json | undefined = v;
  for (const key of path.split('/').slice(1)) at = Array.isArray(at) && /^\d+$/.test(key) ? at[Number(key)] : obj(at)[key];
  if (typeof at === 'number' && Number.isFinite(at)) return String(at);
  return typeof at === 'string' && at.trim() !== '' ? at.trim() : null;
}

/** Which EVE path fills which field; the first path present wins (a DNS query names the domain when no HTTP host does). */
const PATHS: [ScalarField, string[]][] = [
  ['summary', ['/alert/signature']],
  ['threatName', ['/alert/signature']],
  ['srcIp', ['/src_ip']],
  ['srcPort', ['/src_port']],
  ['dstIp', ['/dest_ip']],
  ['dstPort', ['/dest_port']],
  ['protocol', ['/proto']],
  ['application', ['/app_proto']],
  ['direction', ['/direction']],
  ['deviceAction', ['/alert/action']],
  ['severity', ['/alert/severity']],
  ['vendorClassification', ['/alert/category']],
  // DNS: EVE version 1 lists queries under `query`, version 2 has one `rrname`, version 3 (Suricata 7) lists `queries`
  ['domain', ['/http/hostname', '/tls/sni', '/dns/query/0/rrname', '/dns/queries/0/rrname', '/dns/rrname']],
];

/** Suricata's severity grades, 1 the highest: PAN-OS's words for them, so a bare `1` is not read as low. */
const SEVERITY_WORDS: Record<string, string> = { '1': 'high', '2': 'medium', '3': 'low' };

/** An EVE severity as shown: `1 (high)`; a grade past 3 says which way the scale runs; a word stays as written. */
function eveSeverity(raw: string): string {
  const word = SEVERITY_WORDS[raw];
  if (word !== undefined) return `${raw} (${word})`;
  return /^\d+$/.test(raw) ? `${raw} (Suricata severity, 1 is the highest)` : raw;
}

/** How a field's value is shown when not as written (the part then holds it as shown, as the summary's does). */
const SHOWN: Partial<Record<ScalarField, (raw: string) => string>> = { severity: eveSeverity };

export function normalizeEve(v: Record<string, Json>): IncidentRecord {
  const rec = emptyRecord('json', {});
  const field = (path: string, shown?: (raw: string) => string): { value: string; from: { part: string; start: number; end: number } } | null => {
    const raw = textOf(v, path);
    if (raw === null) return null;
    const value = shown === undefined ? raw : shown(raw);
    const part = `json:${path}`;
    rec.parts[part] = value;
    return { value, from: { part, start: 0, end: value.length } };
  };
  for (const [name, paths] of PATHS) {
    for (const path of paths) {
      const f = field(path, SHOWN[name]);
      if (f === null) continue;
      setOnce(rec, name, f);
      break;
    }
  }
  // an event without a signature (a flow, a DNS answer) is summed up by its type and its ends
  if (rec.fields.summary === undefined) {
    const ends = [textOf(v, '/src_ip'), textOf(v, '/dest_ip')].filter((x) => x !== null).join(' to ');
    const value = `${textOf(v, '/event_type') ?? 'event'} ${ends}`.trim();
    rec.parts['json:/event_type'] = value;
    rec.fields.summary = { value, from: { part: 'json:/event_type', start: 0, end: value.length } };
  }
  const host = textOf(v, '/http/hostname');
  const path = textOf(v, '/http/url');
  if (path !== null) {
    const value = host !== null && path.startsWith('/') ? host + path : path;
    rec.parts['json:/http/url'] = value;
    setOnce(rec, 'url', { value, from: { part: 'json:/http/url', start: 0, end: value.length } });
  }
  // the rule's id, not the event's: kept beside the fields, as a report's other `key: value` pairs are
  const sid = field('/alert/signature_id');
  if (sid !== null) rec.extra['signature id'] = sid;
  const time = field('/timestamp');
  if (time !== null) pushUnique(rec.times, time);
  // the category from the signature's words, else the rule category's ("A Network Trojan was detected")
  for (const path of ['/alert/signature', '/alert/category']) {
    const text = textOf(v, path);
    const hit = text === null ? null : classify(text);
    if (hit === null) continue;
    setOnce(rec, 'category', { value: hit.category, from: { part: `json:${path}`, start: hit.start, end: hit.end } });
    break;
  }
  addInternalAssets(rec);
  return rec;
}

/**
 * The events of EVE lines as eve.json writes them (one JSON object a line, as copied from it), when every
 * non-blank line is JSON and the first is an EVE event; else null. A paste of two lines was no JSON, so
 * it was read as text.
 */
export function eveLines(text: string): Record<string, Json>[] | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return null;
  const events: Record<string, Json>[] = [];
  for (const line of lines) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return null;
    }
    if (events.length === 0 && !looksLikeEve(v)) return null;
    if (looksLikeEve(v)) events.push(v);
  }
  return events;
}

/** The first of several EVE events, said so in the record's warnings. */
export function normalizeFirstEve(events: Record<string, Json>[]): IncidentRecord {
  const rec = normalizeEve(events[0]!);
  if (events.length > 1) rec.warnings = [`read the first of ${events.length} EVE events (its first line); analyse the others one at a time`];
  return rec;
}
