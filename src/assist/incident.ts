/** An incident as the base stores and ranks it: text, labels, structured attributes and the response. */
import { allCategories } from './categories.js';
import type { IncidentRecord } from './record.js';

/** Structured attributes compared by the hybrid ranking. */
/** A threat's name without the id PAN-OS writes after it (`name(id)`); null for an id alone (`(9999)`), which names nothing. */
export function namedThreat(threat: string | null | undefined): string | null {
  const name = threat?.replace(/\s*\(\d+\)$/, '').trim() ?? '';
  return name === '' ? null : name;
}

export const ATTRS = ['threat', 'port', 'direction', 'asset', 'category', 'actor', 'motive', 'country', 'protocol', 'cve'] as const;
export type Attr = (typeof ATTRS)[number];

export interface Incident {
  id: string;
  /** where it came from: `vcdb`, `casie`, `hackmageddon`, `report` … */
  source: string;
  title: string;
  text: string;
  time: string | null;
  /** the corpus's own labels (event or attack types); relevance in the evaluation */
  labels: string[];
  attrs: Partial<Record<Attr, string[]>>;
  firstAction: string | null;
  countermeasure: string | null;
  steps: string[];
  outcome: string | null;
  /** the normalized record, for incidents imported from reports */
  record?: IncidentRecord;
}

const CVE = /\bCVE-\d{4}-\d{4,7}\b/gi;

function norm(v: string): string {
  return v.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Attributes a text alone gives: its rule categories and CVE ids. */
export function textAttrs(text: string): Partial<Record<Attr, string[]>> {
  const cves = [...new Set([...text.matchAll(CVE)].map((m) => m[0].toUpperCase()))];
  const out: Partial<Record<Attr, string[]>> = { category: allCategories(text) };
  if (cves.length > 0) out.cve = cves;
  return out;
}

/** PAN-OS's category of the URL or threat (`command-and-control`, `malware`), unless it says nothing (`any`, `unknown`). */
function vendorCategory(rec: IncidentRecord): { value: string } | undefined {
  const c = rec.extra['PAN-OS category'];
  return c === undefined || /^(?:any|unknown|not-resolved)$/iu.test(c.value) ? undefined : c;
}

/**
 * The record's parts as similar-incident search reads them: a quoted vendor log line (`vendorLines`) is left out, its
 * fields (threat, URL, application, classification, category) standing for it. A PAN-OS THREAT line is some 70
 * columns of serials, zones, interfaces, flags and counters, written twice (in the report and as the `panos` part):
 * pasted under the Alerts row of a URL finding it made the demo's matching beacon incident "not close", 3 shared words
 * of 23 (UX review).
 */
export function searchedParts(rec: IncidentRecord): string {
  const cuts = rec.vendorLines ?? [];
  const out: string[] = [];
  for (const [name, text] of Object.entries(rec.parts)) {
    const spans = cuts.filter((c) => c.part === name).sort((a, b) => a.start - b.start);
    let kept = '';
    let at = 0;
    for (const s of spans) {
      if (s.start > at) kept += text.slice(at, s.start);
      at = Math.max(at, s.end);
    }
    kept += text.slice(at);
    if (kept.trim() !== '') out.push(kept);
  }
  return out.join('\n');
}

/** The stored form of a normalized record. */
export function incidentOf(id: string, rec: IncidentRecord, source = 'report'): Incident {
  const f = rec.fields;
  const v = (x: { value: string } | undefined) => (x === undefined ? null : x.value);
  const text = [f.summary, f.threatName, f.url, f.application, f.vendorClassification, vendorCategory(rec)].map(v).filter((x): x is string => x !== null).join('\n') + '\n' + searchedParts(rec).slice(0, 20_000);
  const attrs: Partial<Record<Attr, string[]>> = textAttrs(text);
  const add = (a: Attr, x: string | null) => {
    if (x !== null && x !== '') attrs[a] = [...new Set([...(attrs[a] ?? []), norm(x)])];
  };
  const threatName = namedThreat(v(f.threatName)) ?? '';
  add('threat', threatName === '' ? null : threatName);
  add('port', v(f.dstPort));
  add('direction', v(f.direction));
  add('protocol', v(f.protocol));
  add('category', v(f.category));
  add('actor', v(f.actor));
  for (const a of rec.assets) add('asset', a.value);
  return {
    id,
    source,
    title: v(f.summary)?.slice(0, 200) ?? (threatName === '' ? null : v(f.threatName)) ?? id,
    text,
    time: rec.times[0]?.value ?? null,
    labels: f.category === undefined ? [] : [f.category.value],
    attrs,
    firstAction: v(f.firstAction),
    countermeasure: v(f.countermeasure),
    steps: rec.steps.map((s) => s.value),
    outcome: v(f.outcome),
    record: rec,
  };
}
