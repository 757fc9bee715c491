/** The normalized incident record: every field keeps a pointer to the text it came from. */
import { SCALAR_FIELDS } from './record-view.js';

/** Where a value came from: a named part of the input (its decoded text is in `parts`) and character offsets. */
export interface SourceRef {
  part: string;
  start: number;
  end: number;
}

export interface Field {
  value: string;
  from: SourceRef;
}

/** A single-valued field (record-view.ts SCALAR_FIELDS, in the order every view shows them). */
export type ScalarField = (typeof SCALAR_FIELDS)[number];

export type InputFormat = 'alert' | 'email' | 'json' | 'text';

export interface IncidentRecord {
  format: InputFormat;
  /** decoded text of each input part (`body`, `message[1].text`, `message[0].attachment[0]` with its `.name`, `panos`, `panos.cell[31]` for a cell that had to be unquoted, `json:/summary` …) */
  parts: Record<string, string>;
  fields: Partial<Record<ScalarField, Field>>;
  assets: Field[];
  /** times as written (log time, first seen, dates of messages) */
  times: Field[];
  /** response steps in the order the text gives them */
  steps: Field[];
  /** other `key: value` pairs of a report, by key as written */
  extra: Record<string, Field>;
  /** what the reader skipped or could not read (an attachment that is not text, a date that is none); absent when nothing */
  warnings?: string[];
  /**
   * Where the input quotes a vendor's log line (a PAN-OS CSV line; a part that is one, `panos`, whole): read for its
   * fields, and left out of the text that similar-incident search reads (incident.ts), its fields standing for it;
   * absent when none
   */
  vendorLines?: SourceRef[];
}

export function emptyRecord(format: InputFormat, parts: Record<string, string>): IncidentRecord {
  return { format, parts, fields: {}, assets: [], times: [], steps: [], extra: {} };
}

/** A field from a slice of a part; surrounding white space is cut from both value and offsets. */
export function fieldAt(part: string, text: string, start: number, end: number): Field | null {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end <= start) return null;
  return { value: text.slice(start, end), from: { part, start, end } };
}

/** Sets a scalar field unless it is already set (the first source wins). */
export function setOnce(rec: IncidentRecord, name: ScalarField, f: Field | null): void {
  if (f !== null && rec.fields[name] === undefined) rec.fields[name] = f;
}

/** Marks [start, end) of a part as a quoted vendor log line (`vendorLines`). */
export function markVendorLine(rec: IncidentRecord, part: string, start: number, end: number): void {
  const list = (rec.vendorLines ??= []);
  if (!list.some((r) => r.part === part && r.start === start && r.end === end)) list.push({ part, start, end });
}

export function pushUnique(list: Field[], f: Field | null): void {
  if (f !== null && !list.some((x) => x.value === f.value)) list.push(f);
}

/** The text a field points at; equal to `value` for every field this stage makes but a defanged URL or domain (stored re-fanged: `hxxps://a[.]b` is `https://a.b`). */
export function textAt(rec: IncidentRecord, ref: SourceRef): string {
  return (rec.parts[ref.part] ?? '').slice(ref.start, ref.end);
}
