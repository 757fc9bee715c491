/** VERIS / VCDB incident JSON into a record; each field points at its JSON path (`json:/summary`). */
import { emptyRecord, pushUnique, setOnce, type Field, type IncidentRecord, type ScalarField } from './record.js';
import { classify, type Category } from './categories.js';
import { applyStepRules } from './text-rules.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function looksLikeVeris(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ('action' in v || 'incident_id' in v) && ('actor' in v || 'asset' in v || 'summary' in v);
}

/** VERIS action varieties → categories (the most telling first). */
const VARIETY: [RegExp, Category][] = [
  [/ransomware/i, 'ransomware'],
  [/brute force|password dumper|use of stolen creds/i, 'brute-force'],
  [/dos/i, 'dos'],
  [/phishing|pretexting/i, 'phishing'],
  [/sqli|xss|rfi|path traversal/i, 'web-attack'],
  [/exploit vuln/i, 'vulnerability'],
  [/theft|loss/i, 'loss-theft'],
  [/privilege abuse|data mishandling|unapproved|knowledge abuse/i, 'misuse'],
];
const ACTION_CATEGORY: Record<string, Category> = { malware: 'malware', social: 'phishing', misuse: 'misuse', physical: 'loss-theft', error: 'data-breach', hacking: 'web-attack', environmental: 'other' };

function field(rec: IncidentRecord, path: string, value: string): Field {
  const part = `json:${path}`;
  rec.parts[part] = value;
  return { value, from: { part, start: 0, end: value.length } };
}

/**
 * A key of the object at `path`: a JSON pointer names values, not keys, so the part is that object's JSON
 * text and the field points at the key inside it (the value is what is there: the key as JSON writes it).
 */
function keyField(rec: IncidentRecord, path: string, o: Record<string, Json>, key: string): Field {
  let text = '{';
  let start = 0;
  for (const [i, [k, v]] of Object.entries(o).entries()) {
    if (i > 0) text += ',';
    if (k === key) start = text.length + 1;
    text += `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  text += '}';
  const part = `json:${path}`;
  rec.parts[part] = text;
  const end = start + JSON.stringify(key).length - 2;
  return { value: text.slice(start, end), from: { part, start, end } };
}

/** `v` when it is an object (not a list), else an empty one. */
export function obj(v: Json | undefined): Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};
}
/** The non-empty strings of a value or list, each with its index in the list (null for a lone value). */
function strs(v: Json | undefined): { value: string; i: number | null }[] {
  const all = Array.isArray(v) ? v.map((value, i) => ({ value, i })) : [{ value: v, i: null }];
  return all.filter((x): x is { value: string; i: number | null } => typeof x.value === 'string' && x.value.trim() !== '');
}

/** `base` with the list index, when the value was in a list. */
function at(base: string, i: number | null): string {
  return i === null ? base : `${base}/${i}`;
}

export function normalizeVeris(v: Record<string, Json>): IncidentRecord {
  const rec = emptyRecord('json', {});
  const put = (name: ScalarField, path: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') setOnce(rec, name, field(rec, path, value.trim()));
  };
  put('eventId', '/incident_id', v.incident_id);
  put('summary', '/summary', v.summary);
  const actions = obj(v.action);
  const varieties: { path: string; value: string; action: string }[] = [];
  for (const [a, detail] of Object.entries(actions)) {
    for (const x of strs(obj(detail).variety)) varieties.push({ path: at(`/action/${a}/variety`, x.i), value: x.value, action: a });
  }
  for (const [re, cat] of VARIETY) {
    const hit = varieties.find((x) => re.test(x.value));
    if (hit !== undefined) {
      const f = field(rec, hit.path, hit.value);
      setOnce(rec, 'category', { value: cat, from: f.from });
      setOnce(rec, 'threatName', f);
      break;
    }
  }
  const firstAction = Object.keys(actions).find((k) => k.trim() !== '');
  if (rec.fields.category === undefined && firstAction !== undefined) {
    const text = typeof v.summary === 'string' ? v.summary.trim() : '';
    const hit = classify(text);
    if (hit !== null) {
      const f = field(rec, '/summary', text);
      rec.fields.category = { value: hit.category, from: { part: f.from.part, start: hit.start, end: hit.end } };
    } else {
      const f = keyField(rec, '/action', actions, firstAction);
      rec.fields.category = { value: ACTION_CATEGORY[firstAction] ?? 'other', from: f.from };
    }
  }
  if (varieties[0] !== undefined) setOnce(rec, 'threatName', field(rec, varieties[0].path, varieties[0].value));
  for (const x of strs(obj(obj(actions.hacking)).vector)) setOnce(rec, 'application', field(rec, at('/action/hacking/vector', x.i), x.value));
  const assets = obj(v.asset).assets;
  if (Array.isArray(assets)) assets.forEach((a, i) => {
    const variety = obj(a).variety;
    if (typeof variety === 'string' && variety.trim() !== '') pushUnique(rec.assets, field(rec, `/asset/assets/${i}/variety`, variety));
  });
  // the variety as the JSON has it (`Activist`), not `external: Activist`, which no path of the JSON holds
  for (const [kind, detail] of Object.entries(obj(v.actor))) {
    const variety = strs(obj(detail).variety)[0];
    if (variety !== undefined) setOnce(rec, 'actor', field(rec, at(`/actor/${kind}/variety`, variety.i), variety.value));
  }
  const t = obj(obj(v.timeline).incident);
  if (typeof t.year === 'number') {
    const date = [t.year, t.month, t.day].filter((x) => typeof x === 'number').map((x, i) => (i === 0 ? String(x) : String(x).padStart(2, '0'))).join('-');
    pushUnique(rec.times, field(rec, '/timeline/incident', date));
  }
  const impact = obj(v.impact).overall_rating;
  if (typeof impact === 'string') put('severity', '/impact/overall_rating', impact);
  if (typeof v.discovery_method === 'object') {
    const how = Object.keys(obj(v.discovery_method))[0];
    if (how !== undefined) rec.extra.discovery_method = keyField(rec, '/discovery_method', obj(v.discovery_method), how);
  }
  if (typeof v.summary === 'string') applyStepRules(rec, 'json:/summary', v.summary.trim());
  return rec;
}
