/** The suggested first action: what was done in the most similar incidents, or the playbook when nothing is close. */
import { domainName } from '../core/index.js';
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
  /**
   * the incidents the action was drawn from: `from[0]` is the one whose action (and countermeasure) it
   * is, then those whose action agrees with it, most similar first
   */
  from: { id: string; title: string; action: string; score: number }[];
  /** set when the playbook was used */
  playbook?: { category: Category; citation: string };
}

/**
 * Below this overlap a past incident is not close, however the others score: of the words (report-template
 * words left out) of the shorter of the two texts, the share the other text holds too. The old rule was
 * only relative to the best match, so the best of unrelated incidents always counted. Not BM25: its
 * scale grows with the base (a word-for-word match scores 1.6 in a base of four incidents, unrelated
 * demo incidents 10.6 in the demo base). Calibrated on the demo base (demo.ts) and the test fixtures:
 * the matches a reader accepts as the same kind of incident overlap 0.20–1.0 (a WordPress brute force
 * for an SSH one 0.20–0.30, the demo's two SSH incidents 0.38, a pasted ransomware note and the demo's
 * 0.50); incidents of the same category that did something else 0.10–0.14, of other categories
 * 0–0.17 (the category rule below catches the outlier, phishing and a guessed password, 0.27).
 */
export const MIN_OVERLAP = 0.2;
/** Words a close incident must share with the query, report-template words not counted. */
export const MIN_SHARED_TERMS = 2;
/** Results below this share of the best BM25 among the eligible ones do not count as close. */
export const CLOSE_ENOUGH = 0.35;

/**
 * Words of the report template (labels of alert reports, the demo reports and response steps, the demo
 * marker, severity grades): every report shares them, so they say nothing about the incident.
 */
const TEMPLATE_WORDS = new Set(
  tokenize(
    'event summary detail id date time log first last seen source destination port protocol direction connection directionality ' +
      'severity priority vendor classification occurrence count cvss score threat name category application hostname host asset ' +
      'address ip action initial response immediate containment remediation countermeasure fundamental permanent fix root-cause ' +
      'long-term outcome result status resolution subject title demo critical high medium low informational ' +
      'イベント概要 送信元IPアドレス 宛先IPアドレス 送信元ポート 宛先ポート プロトコル 通信方向 脅威名 重要度 対象ホスト 検知時刻 検知日時 ' +
      '機器の動作 初動対応 暫定対応 暫定対策 暫定措置 恒久対応 恒久対策 恒久措置 根本対応 根本対策 結果 状況 対応結果 件名',
  ),
);

/** An incident's words, report-template words left out. */
export function contentWords(x: Pick<Incident, 'title' | 'text'>): Set<string> {
  return new Set(tokenize(`${x.title ?? ''}\n${x.text ?? ''}`).filter((t) => !TEMPLATE_WORDS.has(t)));
}

/** The words two incidents share (template words left out) and that count over the shorter one's words. */
export function overlap(a: Set<string>, b: Set<string>): { shared: number; ratio: number } {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return { shared, ratio: shared / Math.max(1, Math.min(a.size, b.size)) };
}

function categoriesOf(x: Incident): Category[] {
  return (x.attrs.category ?? []).filter((c): c is Category => c !== 'other' && (CATEGORIES as readonly string[]).includes(c));
}

/**
 * The similar incidents a first action may be drawn from: they record one, share MIN_SHARED_TERMS words
 * and MIN_OVERLAP of the words with the query, are of the query's category (when the query has none, of
 * the category that wins the vote of the others, weighted by BM25), and score at least CLOSE_ENOUGH of
 * the best BM25 of those.
 */
export function closeIncidents(query: Incident, similar: readonly SimilarResult[]): SimilarResult[] {
  const q = contentWords(query);
  const plausible = similar.filter((r) => {
    if (r.incident.firstAction === null) return false;
    const o = overlap(q, contentWords(r.incident));
    return o.shared >= MIN_SHARED_TERMS && o.ratio >= MIN_OVERLAP;
  });
  const wanted = categoriesOf(query);
  let kind: Category[] = wanted;
  if (wanted.length === 0) {
    const votes = new Map<Category, number>();
    for (const r of plausible) for (const c of categoriesOf(r.incident)) votes.set(c, (votes.get(c) ?? 0) + r.bm25);
    let winner: Category | null = null;
    for (const [c, v] of votes) if (winner === null || v > (votes.get(winner) ?? 0)) winner = c;
    kind = winner === null ? [] : [winner];
  }
  const same = kind.length === 0 ? plausible : plausible.filter((r) => categoriesOf(r.incident).some((c) => kind.includes(c)));
  const top = Math.max(0, ...same.map((r) => r.bm25));
  return same.filter((r) => r.bm25 >= CLOSE_ENOUGH * top);
}

function jaccard(a: string, b: string): number {
  const x = new Set(tokenize(a));
  const y = new Set(tokenize(b));
  let both = 0;
  for (const t of x) if (y.has(t)) both++;
  return both / Math.max(1, x.size + y.size - both);
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
/** A machine name: hyphenated, its last label with a digit (`web-01`, `srv-file-01`, `ws-042`). */
const HOST_LIKE = /(?<![\w.@/-])[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[a-z]*\d[a-z0-9]*(?![\w@/-]|\.[a-z0-9])/giu;
/** Identifiers that look like machine names but are not (`CVE-2024-3094`, `SHA-256`, `MS17-010`). */
const NOT_HOST = /^(?:cve|cwe|capec|ms\d\d|kb|sha|md|aes|rsa|rfc|iso|tls|ssl|utf|cvss|t\d+|ta\d+)-/i;
/** A dotted name; `domainName` decides (known TLDs, not file names such as `wp-login.php`). */
const DOMAIN = /(?<![\w.@/-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9](?![\w@-]|\.[a-z0-9])/giu;
/** The value of a report's destination line (`Destination: srv-file-01`, `宛先: web-01`). */
const DESTINATION = /(?:destination|dst|宛先)(?:\s*(?:host(?:name)?|ip(?:\s*address)?|アドレス))?\s*[:：=]\s*([^\s,;]+)/giu;
/** Where a report names an account: `user bob`, `the account bob`, `workstation of alice`, `alice's credentials`. */
const ACCOUNT = [
  /\b(?:user(?:name)?|account|login|mailbox)\s*[:=]\s*([a-z][\w.-]{0,31})/giu,
  /\b(?:as|for|the)\s+(?:user|account)\s+([a-z][\w.-]{0,31})/giu,
  /\b(?:workstation|laptop|desktop|pc|mailbox|account|machine)\s+of\s+([a-z][\w.-]{0,31})/giu,
  /\b([a-z][\w.-]{0,31})'s\s+(?:credentials?|password|account|mailbox|sessions?|shell|history|workstation|laptop|desktop|pc|token|home|files)\b/giu,
  /(?:ユーザー?|アカウント)\s*[:：]?\s*([a-z][\w.-]{0,31})/giu,
];
/** Words those patterns catch that are no one's account (roles and generic names stay as written). */
const NOT_ACCOUNT = new Set(
  ('the a an this that these those who whom which whose it its his her their our your my each every all any same other ' +
    'user users account accounts root admin administrator administrators staff guest service attacker victim owner host server ' +
    'workstation name names was is and or with to from in on at by of for').split(' '),
);

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `what` as a whole token (not inside a longer name or address) replaced by `by`, any case. */
function replaceToken(text: string, what: string, by: string): string {
  return what === '' ? text : text.replace(new RegExp(`(?<![\\w.@/-])${escape(what)}(?![\\w@-]|\\.[\\w])`, 'giu'), by);
}

function uniq(xs: readonly string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ''))];
}

/** A whole value that names a machine: an address, a `web-01`-like name or a host name. */
function isHostName(v: string): boolean {
  const like = v.match(HOST_LIKE)?.[0] === v && !NOT_HOST.test(v);
  return like || /^(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?$/.test(v) || domainName(v) !== null;
}

/** An incident's own machines: its assets, then its destination (field or destination line). */
function ownHosts(x: Incident): string[] {
  const dst = [...(x.text ?? '').matchAll(DESTINATION)].map((m) => (m[1] as string).replace(/[.:]+$/, '')).filter(isHostName);
  return uniq([...(x.record?.assets.map((a) => a.value) ?? []), ...(x.record?.fields.dstIp === undefined ? [] : [x.record.fields.dstIp.value]), ...dst]);
}

function accountsOf(texts: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of texts) for (const re of ACCOUNT) for (const m of t.matchAll(re)) out.push((m[1] as string).replace(/[.-]+$/, ''));
  return uniq(out).filter((a) => !NOT_ACCOUNT.has(a.toLowerCase()));
}

/**
 * A past incident's action, told for this one. Its source and destination addresses become this
 * incident's where it has them, else a placeholder; its own machines (assets, destination) become this
 * incident's machines in order, else ‹host›; any other machine name, host name, address or mailbox this
 * incident's text does not hold becomes ‹host›, ‹address›, ‹mailbox›; the accounts the past incident
 * names become ‹account›. Copied as written, "isolate web-01 and block 203.0.113.45" named the past
 * incident's machines, and "reset alice's credentials" its user, which a tired operator could act on.
 */
export function adaptToQuery(action: string, past: Incident, query: Incident): string {
  const said = `${query.title ?? ''}\n${query.text}`;
  const lower = said.toLowerCase();
  const inQuery = (v: string): boolean => lower.includes(v.toLowerCase());
  const named = (v: string): boolean => new RegExp(`(?<![\\w.@-])${escape(v)}(?![\\w@-])`, 'iu').test(said);
  const field = (i: Incident, f: 'srcIp' | 'dstIp'): string | undefined => i.record?.fields[f]?.value;
  let out = action;
  for (const [f, label] of [['srcIp', 'source address'], ['dstIp', 'destination address']] as const) {
    const was = field(past, f);
    if (was !== undefined && !inQuery(was)) out = replaceToken(out, was, field(query, f) ?? `‹${label}›`);
  }
  const hostsNow = uniq([...ownHosts(query), ...[...said.matchAll(HOST_LIKE)].map((m) => m[0]).filter((h) => !NOT_HOST.test(h))]);
  for (const [i, h] of ownHosts(past).entries()) if (!inQuery(h)) out = replaceToken(out, h, hostsNow[i] ?? hostsNow[0] ?? '‹host›');
  out = out.replace(EMAIL, (m) => (inQuery(m) ? m : '‹mailbox›'));
  out = out.replace(IPV4, (ip) => (inQuery(ip) ? ip : '‹address›'));
  out = out.replace(DOMAIN, (m) => (domainName(m) === null || inQuery(m) ? m : '‹host›'));
  out = out.replace(HOST_LIKE, (m) => (NOT_HOST.test(m) || inQuery(m) ? m : '‹host›'));
  for (const a of accountsOf([past.text, action])) if (!named(a)) out = replaceToken(out, a, '‹account›');
  return out;
}

/**
 * Among the close similar incidents (`closeIncidents`), the action most like the others (a medoid by
 * word overlap) weighted by similarity; confidence = weight of agreeing incidents × closeness. With none
 * close, the playbook of the query's category.
 */
export function suggestFirstAction(query: Incident, similar: readonly SimilarResult[]): Suggestion {
  const withAction = closeIncidents(query, similar);
  if (withAction.length > 0) {
    const maxScore = Math.max(...withAction.map((r) => r.score), 1e-9);
    const agrees = (r: SimilarResult, o: SimilarResult): boolean => o === r || jaccard(r.incident.firstAction ?? '', o.incident.firstAction ?? '') >= 0.2;
    let best = withAction[0] as SimilarResult;
    let bestSupport = -1;
    for (const r of withAction) {
      let support = 0;
      for (const o of withAction) support += (o.score / maxScore) * (agrees(r, o) ? 1 : 0);
      if (support > bestSupport) {
        bestSupport = support;
        best = r;
      }
    }
    const total = withAction.reduce((s, r) => s + r.score / maxScore, 0);
    const closeness = Math.min(1, withAction.length / 3);
    // the incident the action is taken from first (chat cites it as [1]), then those that did the same
    const from = [best, ...withAction.filter((o) => o !== best && agrees(best, o))].slice(0, 5);
    return {
      action: adaptToQuery(best.incident.firstAction as string, best.incident, query),
      countermeasure: best.incident.countermeasure === null ? null : adaptToQuery(best.incident.countermeasure, best.incident, query),
      confidence: Math.round((bestSupport / Math.max(total, 1e-9)) * closeness * 100) / 100,
      source: 'similar-incidents',
      from: from.map((r) => ({ id: r.incident.id, title: r.incident.title, action: r.incident.firstAction as string, score: Math.round(r.score * 1000) / 1000 })),
    };
  }
  const cat = categoriesOf(query)[0] ?? 'other';
  const entry = PLAYBOOK[cat];
  return { action: entry.firstAction, countermeasure: entry.countermeasure, confidence: 0, source: 'playbook', from: [], playbook: { category: cat, citation: PLAYBOOK_SOURCE } };
}
