/** The suggested first action: what was done in the most similar incidents, or the playbook when nothing is close. */
import type { Category } from './categories.js';
import { CATEGORIES } from './categories.js';
import type { Incident } from './incident.js';
import { PLAYBOOK, PLAYBOOK_SOURCE } from './playbook.js';
import type { SimilarResult } from './similar.js';
import { tokenize } from './tokenize.js';

export interface Suggestion {
  action: string;
  countermeasure: string | null;
  /** in [0, 1]: how much the similar incidents agree and how close they are */
  confidence: number;
  source: 'similar-incidents' | 'playbook';
  /** the incidents the action was drawn from */
  from: { id: string; title: string; action: string; score: number }[];
  /** set when the playbook was used */
  playbook?: { category: Category; citation: string };
}

/** Results below this share of the top possible similarity do not count as close. */
export const CLOSE_ENOUGH = 0.35;

function jaccard(a: string, b: string): number {
  const x = new Set(tokenize(a));
  const y = new Set(tokenize(b));
  let both = 0;
  for (const t of x) if (y.has(t)) both++;
  return both / Math.max(1, x.size + y.size - both);
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;

function replaceAll(text: string, what: string, by: string): string {
  return what === '' ? text : text.split(what).join(by);
}

/**
 * A past incident's action, told for this one: its source and destination addresses and its hosts
 * become this incident's where this one names them, else a placeholder; any other address or mailbox
 * this incident's text does not hold becomes a placeholder. Copied as written, "isolate web-01 and
 * block 203.0.113.45" named the past incident's machines, which a tired operator could act on.
 */
export function adaptToQuery(action: string, past: Incident, query: Incident): string {
  let out = action;
  const field = (i: Incident, f: 'srcIp' | 'dstIp'): string | undefined => i.record?.fields[f]?.value;
  for (const [f, label] of [['srcIp', 'source address'], ['dstIp', 'destination address']] as const) {
    const was = field(past, f);
    if (was !== undefined) out = replaceAll(out, was, field(query, f) ?? `‹${label}›`);
  }
  const hostsNow = query.record?.assets.map((a) => a.value) ?? [];
  for (const [i, a] of (past.record?.assets ?? []).entries()) out = replaceAll(out, a.value, hostsNow[i] ?? hostsNow[0] ?? '‹host›');
  out = out.replace(IPV4, (ip) => (query.text.includes(ip) ? ip : '‹address›'));
  out = out.replace(EMAIL, (m) => (query.text.includes(m) ? m : '‹mailbox›'));
  return out;
}

/**
 * Among the close similar incidents that record a first action, the action most like the others
 * (a medoid by word overlap) weighted by similarity; confidence = weight of agreeing incidents × closeness.
 */
export function suggestFirstAction(query: Incident, similar: readonly SimilarResult[]): Suggestion {
  const top = similar[0]?.bm25 ?? 0;
  const withAction = similar.filter((r) => r.incident.firstAction !== null && top > 0 && r.bm25 / top >= CLOSE_ENOUGH && r.why.sharedTerms.length >= 2);
  if (withAction.length > 0) {
    const maxScore = Math.max(...withAction.map((r) => r.score), 1e-9);
    let best = withAction[0] as SimilarResult;
    let bestSupport = -1;
    for (const r of withAction) {
      let support = 0;
      for (const o of withAction) support += (o.score / maxScore) * (o === r ? 1 : jaccard(r.incident.firstAction ?? '', o.incident.firstAction ?? '') >= 0.2 ? 1 : 0);
      if (support > bestSupport) {
        bestSupport = support;
        best = r;
      }
    }
    const total = withAction.reduce((s, r) => s + r.score / maxScore, 0);
    const closeness = Math.min(1, withAction.length / 3);
    return {
      action: adaptToQuery(best.incident.firstAction as string, best.incident, query),
      countermeasure: best.incident.countermeasure === null ? null : adaptToQuery(best.incident.countermeasure, best.incident, query),
      confidence: Math.round((bestSupport / Math.max(total, 1e-9)) * closeness * 100) / 100,
      source: 'similar-incidents',
      from: withAction.slice(0, 5).map((r) => ({ id: r.incident.id, title: r.incident.title, action: r.incident.firstAction as string, score: Math.round(r.score * 1000) / 1000 })),
    };
  }
  const cat = (query.attrs.category ?? []).find((c): c is Category => (CATEGORIES as readonly string[]).includes(c)) ?? 'other';
  const entry = PLAYBOOK[cat];
  return { action: entry.firstAction, countermeasure: entry.countermeasure, confidence: 0, source: 'playbook', from: [], playbook: { category: cat, citation: PLAYBOOK_SOURCE } };
}
