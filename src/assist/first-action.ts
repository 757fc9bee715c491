/** The suggested first action: what was done in the most similar incidents, or the playbook when nothing is close. */
import { domainName } from '../core/index.js';
import type { Category } from './categories.js';
import { CATEGORIES } from './categories.js';
import type { Incident } from './incident.js';
import { PLAYBOOK, PLAYBOOK_SOURCE } from './playbook.js';
import { accountsIn } from './text-rules.js';
import type { SimilarResult } from './similar.js';
import { clausesOf, imperative } from './imperative.js';
import { TEMPLATE_WORDS, tokenize, withoutFieldValues } from './tokenize.js';

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
  /**
   * What the action leaves out of the past response because this report does not name what it acted on
   * (`reset the account's credentials: this report names no account`); never a placeholder.
   */
  leftOut?: string[];
  /** what "close" means, with the thresholds (CLOSE_RULE): the page shows it beside the ranking scores */
  closeRule: string;
  /** every similar incident, in the list's order: whether the action may be drawn from it and, when not, why (`closeness`) */
  judged: { id: string; close: boolean; why: string | null }[];
  /** set when the playbook was used */
  playbook?: { category: Category; citation: string };
  /**
   * The best-ranked similar incident when the action is not drawn from it nor agrees with it, and why (a sentence
   * starting with "it"): the page and the chat show it beside the similar-incidents list, whose top entry would
   * otherwise sit under "nothing close" with a high score and a recorded response.
   */
  nearest?: { id: string; title: string; score: number; why: string };
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
 * What "close" means, for the reader of a ranked list whose scores (similar.ts: weighted features, 1 and more
 * for a good match, no upper bound of 1) are not it: the page said "nothing close" beside a 1.02 (UX review).
 */
export const CLOSE_RULE =
  `A past incident is close when it records a response, shares at least ${MIN_SHARED_TERMS} words with this report and at least ${Math.round(MIN_OVERLAP * 100)}% of the words of the shorter of the two ` +
  `(report-template words such as "source", "port", "host" left out, and a text's own addresses, names and ids unless both hold them), is of the same category, and its word similarity (BM25) is at least ${Math.round(CLOSE_ENOUGH * 100)}% of the closest one's. ` +
  'The score orders the list only: word similarity plus agreeing labels and fields, with no fixed top, so a high score alone does not make an incident close.';

/**
 * An incident's words, report-template words, severity grades (`Severity: high`) and empty values (`Remediation: none`,
 * `dkim=none`) left out, as search leaves them out (`withoutFieldValues`).
 */
export function contentWords(x: Pick<Incident, 'title' | 'text'>): Set<string> {
  return new Set(tokenize(withoutFieldValues(`${x.title ?? ''}\n${x.text ?? ''}`)).filter((t) => !TEMPLATE_WORDS.has(t)));
}

/**
 * An incident's own indicators among its words: those of its addresses, URL, host names, account and assets (split at
 * their dots, dashes and slashes too: an explanation quotes a URL in pieces) and every word with a digit (ids, times,
 * scores). No other incident can share them but the same indicator, so unshared they do not count against closeness:
 * a finding of NML's own is mostly indicators (a URL finding names a host, a path, a score), and its few words of
 * meaning were a tenth of its text (UX review).
 */
export function ownWords(x: Pick<Incident, 'record'>, words: ReadonlySet<string>): Set<string> {
  const rec = x.record;
  const values = rec === undefined ? [] : [rec.fields.srcIp, rec.fields.dstIp, rec.fields.url, rec.fields.domain, rec.fields.user, ...rec.assets].map((f) => f?.value ?? '');
  const own = new Set(values.flatMap((v) => [v, v.replace(/[./?=&:\\]+/gu, ' '), v.replace(/[-./?=&:\\]+/gu, ' ')].flatMap(tokenize)));
  for (const w of words) if (/\d/u.test(w)) own.add(w);
  return own;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The words two incidents share (template words left out) and that count over the shorter one's words; a text's own
 * indicators (`ownWords`) count only when the other shares them.
 */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>, ownA: ReadonlySet<string> = NONE, ownB: ReadonlySet<string> = NONE): { shared: number; ratio: number; words: string[]; of: number } {
  const words = [...a].filter((t) => b.has(t));
  const counted = (s: ReadonlySet<string>, own: ReadonlySet<string>, other: ReadonlySet<string>): number => {
    let n = 0;
    for (const t of s) if (!own.has(t) || other.has(t)) n++;
    return n;
  };
  const of = Math.min(counted(a, ownA, b), counted(b, ownB, a));
  return { shared: words.length, ratio: words.length / Math.max(1, of), words, of };
}

function categoriesOf(x: Incident): Category[] {
  return (x.attrs.category ?? []).filter((c): c is Category => c !== 'other' && (CATEGORIES as readonly string[]).includes(c));
}

/** A similar incident and why it does not count as close; `why` is null for a close one. */
export interface Closeness {
  result: SimilarResult;
  why: string | null;
}

function quoteWords(words: readonly string[]): string {
  const shown = words.slice(0, 4).map((w) => `"${w}"`);
  return words.length > shown.length ? `${shown.join(', ')} …` : shown.join(', ');
}

/** Why too few words are shared (fewer than MIN_SHARED_TERMS, or under MIN_OVERLAP of the shorter text's). */
function fewWords(o: ReturnType<typeof overlap>): string {
  if (o.shared === 0) return 'it shares no word with this report beyond the report template';
  if (o.shared < MIN_SHARED_TERMS) return `it shares only ${o.shared === 1 ? 'one word' : `${o.shared} words`} with this report: ${quoteWords(o.words)}`;
  return `it shares only ${o.shared} of the ${o.of} words of the shorter text with this report: ${quoteWords(o.words)}`;
}

/**
 * Each similar incident, in the order given, with why a first action may not be drawn from it: it records none,
 * shares fewer than MIN_SHARED_TERMS words or MIN_OVERLAP of the words with the query, is not of the query's
 * category (when the query has none, of the category that wins the vote of the others, weighted by BM25), or
 * scores under CLOSE_ENOUGH of the best BM25 of those. The reasons are told, not only applied: the ranked list
 * puts a same-category incident first with a high score even when it shares one word with the query.
 */
export function closeness(query: Incident, similar: readonly SimilarResult[]): Closeness[] {
  const q = contentWords(query);
  const qOwn = ownWords(query, q);
  const why = new Map<SimilarResult, string>();
  const plausible = similar.filter((r) => {
    if (r.incident.firstAction === null) {
      why.set(r, 'it records no response');
      return false;
    }
    const theirs = contentWords(r.incident);
    const o = overlap(q, theirs, qOwn, ownWords(r.incident, theirs));
    if (o.shared >= MIN_SHARED_TERMS && o.ratio >= MIN_OVERLAP) return true;
    why.set(r, fewWords(o));
    return false;
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
  const same = plausible.filter((r) => {
    if (kind.length === 0 || categoriesOf(r.incident).some((c) => kind.includes(c))) return true;
    const theirs = categoriesOf(r.incident);
    const whose = wanted.length === 0 ? 'the category most of the others that share words with this report have' : 'the category of this report';
    why.set(r, `it is ${theirs.length === 0 ? 'of no category' : theirs.join('/')}, not ${kind.join('/')} (${whose})`);
    return false;
  });
  const top = Math.max(0, ...same.map((r) => r.bm25));
  for (const r of same) {
    if (r.bm25 < CLOSE_ENOUGH * top) why.set(r, `its words are far less alike (BM25 ${r.bm25.toFixed(2)}) than the closest incident's (${top.toFixed(2)}); a close one has at least ${Math.round(CLOSE_ENOUGH * 100)}% of it`);
  }
  return similar.map((result) => ({ result, why: why.get(result) ?? null }));
}

/** The similar incidents a first action may be drawn from (`closeness` says why the others are not). */
export function closeIncidents(query: Incident, similar: readonly SimilarResult[]): SimilarResult[] {
  return closeness(query, similar)
    .filter((c) => c.why === null)
    .map((c) => c.result);
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
  return uniq(texts.flatMap((t) => accountsIn(t).map((a) => a.value)));
}

/**
 * What the query says: its title and searched text, and its record's values. A vendor line is left out of the
 * text (`searchedParts`), so a PAN-OS line pasted alone had its addresses in the record only: the past action's
 * address was swapped for the line's source, then struck out as one "this report names no" (UX review, 2026-12).
 */
function saidBy(query: Incident): string {
  const rec = query.record;
  const values = rec === undefined ? [] : [...Object.values(rec.fields).map((f) => f?.value ?? ''), ...rec.assets.map((a) => a.value)];
  return [query.title ?? '', query.text, ...values].join('\n');
}

/**
 * A past incident's action, told for this one. Its source and destination addresses become this
 * incident's where it has them, else a placeholder; its own machines (assets, destination) become this
 * incident's machines in order, else ‹host›; any other machine name, host name, address or mailbox this
 * incident's text does not hold becomes ‹host›, ‹address›, ‹mailbox›; the accounts the past incident
 * names become this incident's (its user field, then the accounts its text names), else ‹account›. The
 * placeholders are for `forThisReport`, which leaves their clauses out: they are never shown. Copied as written, "isolate web-01 and block 203.0.113.45" named the past
 * incident's machines, and "reset alice's credentials" its user, which a tired operator could act on.
 */
export function adaptToQuery(action: string, past: Incident, query: Incident): string {
  const said = saidBy(query);
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
  const accountsNow = uniq([...(query.record?.fields.user === undefined ? [] : [query.record.fields.user.value]), ...accountsOf([said])]);
  for (const [i, a] of accountsOf([past.text, action]).entries()) if (!named(a)) out = replaceToken(out, a, accountsNow[i] ?? accountsNow[0] ?? '‹account›');
  return forWhatHappened(out, query, said, accountsNow[0]);
}

/** A clause that acts on "the domain" (`sinkholed the domain in the resolver`, `blocked the domain at the proxy`). */
const ON_DOMAIN = /\bthe domain\b/iu;
const BLOCK_DOMAIN = /^(sinkhol(?:e|ed)|block(?:ed)?)\s+the domain\b(.*)$/isu;
/** A clause that checks no login succeeded (`confirmed in the sshd log that no login from it succeeded`). */
const NONE_SUCCEEDED = /^(confirm(?:ed)?|check(?:ed)?|verif(?:y|ied)|ensur(?:e|ed)|ma(?:k|d)e sure)\b.*\bno\b.*\b(?:succeeded|success(?:ful)?)\b/isu;
/** Words that say a login or an attempt succeeded; NEGATION before one in its sentence says it did not. */
const SUCCESS = /\b(?:succeeded|successful(?:ly)?|success(?:es)?|logged (?:in|on))\b/iu;
const NEGATION = /\b(?:no|not|none|never|without|nor)\b|n't\b/iu;
const PRIVATE_IP = /^(?:10\.|127\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)/;

/** True when a sentence of `text` says a login or attempt succeeded (`One success for account svc_backup`), not that none did. */
export function statesSuccess(text: string): boolean {
  return text.split(/[.!?。\n]+(?:\s+|$)/u).some((sentence) => {
    const m = SUCCESS.exec(sentence);
    return m !== null && !NEGATION.test(sentence.slice(0, m.index));
  });
}

/**
 * A past action's clauses made true to this report. Where it names no domain, a clause that blocks or sinkholes
 * "the domain" blocks the report's outside address instead, and any other clause on "the domain" is left out
 * (‹domain›). Where it says a login succeeded, a clause that confirms none did becomes resetting the account's
 * credentials (when it names one) and reviewing what that login did. Told as written, a beacon to an address read
 * "sinkhole the domain" and a brute force with one success "confirm that no login from it succeeded" (review, 2026-12).
 */
function forWhatHappened(action: string, query: Incident, said: string, account: string | undefined): string {
  const hasDomain = query.record?.fields.domain !== undefined || [...said.matchAll(DOMAIN)].some((m) => domainName(m[0]) !== null);
  const f = query.record?.fields;
  const outside = uniq([f?.dstIp?.value ?? '', f?.srcIp?.value ?? '', ...(said.match(IPV4) ?? [])]).find((ip) => /^(?:\d{1,3}\.){3}\d{1,3}$/.test(ip) && !PRIVATE_IP.test(ip));
  const success = statesSuccess(said);
  const parts = clausesOf(action);
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] as string;
    if (!hasDomain && ON_DOMAIN.test(clause)) {
      const m = BLOCK_DOMAIN.exec(clause);
      if (m !== null && outside !== undefined) {
        const past = /ed$/iu.test(m[1] as string);
        const sinkhole = /^sinkhol/iu.test(m[1] as string);
        // a resolver sinkholes names, not addresses: the address is blocked at the firewall
        const rest = sinkhole ? ` at the perimeter firewall${(m[2] as string).replace(/^\s*in the resolver\b/iu, '')}` : (m[2] as string);
        parts[i] = `${past ? 'blocked' : 'block'} ${outside}${rest}`;
      } else parts[i] = clause.replace(ON_DOMAIN, '‹domain›');
    } else if (success) {
      const m = NONE_SUCCEEDED.exec(clause);
      if (m === null) continue;
      const past = /ed$|^made/iu.test(m[1] as string);
      const trail = /[.;,]+$/u.exec(clause)?.[0] ?? '';
      parts[i] = `${account === undefined ? '' : `reset ${account}'s credentials, then `}${past ? 'reviewed' : 'review'} what the successful login did${trail}`;
    }
  }
  return parts.join('');
}

/**
 * Among the close similar incidents (`closeness`), the action most like the others (a medoid by word
 * overlap) weighted by similarity; confidence = weight of agreeing incidents × how many are close (full
 * from three). With none close, the playbook of the query's category. Either way, the best-ranked similar
 * incident the action does not come from is named with why (`nearest`).
 */
export function suggestFirstAction(query: Incident, similar: readonly SimilarResult[]): Suggestion {
  const judged = closeness(query, similar);
  const withAction = judged.filter((c) => c.why === null).map((c) => c.result);
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
    const many = Math.min(1, withAction.length / 3);
    // the incident the action is taken from first (chat cites it as [1]), then those that did the same
    const from = [best, ...withAction.filter((o) => o !== best && agrees(best, o))].slice(0, 5);
    const nearest = nearestUnused(judged, (r) => withAction.includes(r) && agrees(best, r), 'its first action differs from the one the close incidents agree on');
    const act = forThisReport(best.incident.firstAction as string, best.incident, query);
    const counter = best.incident.countermeasure === null ? null : forThisReport(best.incident.countermeasure, best.incident, query);
    const leftOut = [...act.leftOut, ...(counter?.leftOut ?? [])];
    return {
      action: act.text === '' ? PLAYBOOK[categoriesOf(query)[0] ?? 'other'].firstAction : act.text,
      countermeasure: counter === null || counter.text === '' ? null : counter.text,
      ...(leftOut.length === 0 ? {} : { leftOut }),
      judged: judgedOf(judged),
      closeRule: CLOSE_RULE,
      confidence: Math.round((bestSupport / Math.max(total, 1e-9)) * many * 100) / 100,
      source: 'similar-incidents',
      from: from.map((r) => ({ id: r.incident.id, title: r.incident.title, action: r.incident.firstAction as string, score: Math.round(r.score * 1000) / 1000 })),
      ...(nearest === undefined ? {} : { nearest }),
    };
  }
  const cat = categoriesOf(query)[0] ?? 'other';
  const entry = PLAYBOOK[cat];
  const nearest = nearestUnused(judged, () => false, '');
  return { action: entry.firstAction, countermeasure: entry.countermeasure, confidence: 0, source: 'playbook', from: [], judged: judgedOf(judged), closeRule: CLOSE_RULE, playbook: { category: cat, citation: PLAYBOOK_SOURCE }, ...(nearest === undefined ? {} : { nearest }) };
}

/** The best-ranked similar incident unless the action is drawn from it or agrees with it (`used`), with why (`close` when it is close). */
function nearestUnused(judged: readonly Closeness[], used: (r: SimilarResult) => boolean, close: string): Suggestion['nearest'] {
  const top = judged[0];
  if (top === undefined || used(top.result)) return undefined;
  const x = top.result.incident;
  return { id: x.id, title: x.title, score: Math.round(top.result.score * 1000) / 1000, why: top.why ?? close };
}

function judgedOf(judged: readonly Closeness[]): Suggestion['judged'] {
  return judged.map((c) => ({ id: c.result.incident.id, close: c.why === null, why: c.why }));
}

const PLACEHOLDER = /‹([^›]+)›/u;

/**
 * A past response told as a suggestion for this report: adapted (`adaptToQuery`), the clauses that would
 * need a placeholder left out and named in `leftOut`, the verbs in the imperative (`imperative`). A response
 * whose verbs are not known is quoted as what was done then (`As done in "…": …`), never shown in the past
 * tense as if done for this report.
 */
export function forThisReport(action: string, past: Incident, query: Incident): { text: string; leftOut: string[] } {
  const parts = clausesOf(adaptToQuery(action, past, query).trim());
  const kept: string[] = [];
  const leftOut: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] as string;
    const missing = PLACEHOLDER.exec(clause)?.[1];
    if (missing === undefined) {
      if (kept.length > 0) kept.push(parts[i - 1] as string);
      kept.push(clause);
      continue;
    }
    const told = (imperative(clause.replace(/[.;,]+$/u, '')) ?? clause).replace(/‹([^›]+)›('s)?/gu, (_m, what: string, s?: string) => (s === undefined ? `the ${what}` : `the ${what}'s`));
    leftOut.push(`${told}: this report names no ${missing}`);
  }
  let text = kept.join('').replace(/[\s,;:]+$/u, '');
  if (text === '') return { text: '', leftOut };
  if (!/[.!?]$/u.test(text)) text += '.';
  return { text: imperative(text) ?? `As done in "${past.title}": ${text}`, leftOut };
}
