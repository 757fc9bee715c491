/** Chat: rule-based intents, answers composed from templates, every answer with citations. */
import { domainName } from '../core/index.js';
import { SkippedShards, type Hit, type SkippedShard } from '../search/index.js';
import { isInternalIp, parseEntity, searchTerm, type BlocklistHit, type Neighbour, type PivotGroup, type PivotResult } from '../investigate/index.js';
import { loginsAnswer, logonPart, pivotFor } from './chat-logins.js';
import { chatRange, lineSearch, type Citation, type LogPages, type PivotSource } from './chat-sources.js';
import { PLAYBOOK, PLAYBOOK_SOURCE } from './playbook.js';
import { namedThreat, type Incident } from './incident.js';
import { closeness, type Suggestion } from './first-action.js';
import type { SimilarResult } from './similar.js';
import type { Category } from './categories.js';
import { addressValues } from './addresses.js';
import { addressKey, hostNamesIn } from './chat-indicators.js';
import { sightingsAnswer } from './chat-sightings.js';

export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

export interface ChatAnswer {
  answer: string;
  citations: Citation[];
  intent: Intent;
  /** true when an LLM rephrased the template answer */
  phrased: boolean;
  /** why an LLM's phrasing is not the answer (the endpoint failed, or the rewrite changed a fact); absent otherwise */
  unphrased?: string;
  /**
   * The damaged or missing shards the log searches behind the answer left out, as a search's `skipped`: lines of
   * their time are not in the answer, which is then partial (and its counts lower bounds); empty when none.
   */
  skipped: SkippedShard[];
}

/** What an intent's composer returns: the answer and its citations. */
type Composed = Pick<ChatAnswer, 'answer' | 'citations'>;

/** The longest message chat takes (characters): the API's `messages[].content` and `nml assist ask`'s question. */
export const CHAT_MESSAGE_MAX = 20_000;

export type Intent = 'logins' | 'hosts' | 'sightings' | 'last-time' | 'first-action' | 'what-is' | 'similar' | 'help';

/**
 * "which hosts were affected?", "have we seen these IOCs in our logs?", "any hits?", "where else?", 影響を受けた端末,
 * 痕跡: the incident's indicators looked for in the logs (`chat-sightings.ts`). "Seen this before?" alone stays
 * `last-time` (past incidents); seen needs an indicator word or the logs, the network, named.
 */
const SIGHTINGS = new RegExp(
  [
    String.raw`\b(?:hosts?|machines?|systems?|servers?|endpoints?|devices?|workstations?|clients?|computers?|users?|assets?|who|anyone|anybody|else)\b(?:[^?.!。]|\.(?=\S)){0,40}?\b(?:affected|impacted|compromised|infected|hit)\b`,
    String.raw`\b(?:affected|impacted|compromised|infected)\s+(?:hosts?|machines?|systems?|servers?|endpoints?|devices?|workstations?|clients?|computers?|users?|assets?)\b`,
    String.raw`\b(?:seen|see|saw|spotted|observed|found|find|hunt|check|search|look(?:ed)? (?:for|up))\b(?:[^?.!。]|\.(?=\S)){0,40}?\b(?:indicators?|iocs?|ips|ip addresses|addresses|domains?|urls?|observables?)\b`,
    String.raw`\b(?:seen|see|saw|spotted|observed|appear\w*|show(?:ed|n)? up|hits?|sightings?|traces?|found)\b(?:[^?.!。]|\.(?=\S)){0,40}?\b(?:in|on|across)\s+(?:our|the)\s+(?:logs?|network|environment|traffic)\b`,
    String.raw`\bany\s+(?:hits?|sightings?|matches|traces?)\b|\bwhere else\b`,
    String.raw`影響を受けた|影響範囲|被害(?:範囲|端末|ホスト)|感染(?:した|の)?(?:端末|ホスト|PC)|痕跡|(?:IOC|ＩＯＣ|指標|インジケータ)[^?？。]{0,20}(?:ログ|見|確認)|他に(?:どこ|感染)`,
  ].join('|'),
  'iu',
);

const INTENTS: [Intent, RegExp][] = [
  // before `hosts`: "which accounts did it log in as successfully?" asks about logons, not hosts
  ['logins', /\b(?:log(?:ged)?[ -]?(?:in|on)s?|logins?|logons?|sign(?:ed)?[ -]?ins?|authenticat\w*|password)\b.*\b(?:success\w*|succeed\w*|work(?:ed)?|accepted|valid|get in|got in)\b|\b(?:success\w*|accepted|valid)\b.*\b(?:log(?:ged)?[ -]?(?:in|on)|logins?|logons?|sign[ -]?ins?)\b|\b(?:did|has|have)\b.*\b(?:get|got|gotten|break|broke|log(?:ged)?)\s+in\b|ログイン.*(?:成功|でき)|侵入(?:された|できた|に成功)/iu],
  ['hosts', /\b(?:which|what|other|who)\b.*\b(?:hosts?|machines?|servers?|clients?|ips?|addresses|users?)\b.*\b(?:talk|talked|connect|connected|contact|contacted|communicat|reach|seen|access|visit|request|quer|resolv|click|brows|went to)|\bwho\b.*\b(?:visit|request|quer|click|brows|went to)|他の(?:ホスト|端末|サーバ)|通信した|アクセスした/iu],
  // after `hosts` ("which hosts talked to it?" is about one address), before `last-time` ("seen these IPs before?" is
  // about the logs, not past incidents); bounded gaps, not `.*`: no more backtracking than the others (QUESTION_MAX)
  ['sightings', SIGHTINGS],
  ['last-time', /last time|before|previous(?:ly)?|in the past|what did we do|how did we (?:handle|respond)|前回|過去|以前/iu],
  ['first-action', /what should (?:i|we) do|first (?:action|step)|next step|how (?:do|should) (?:i|we) (?:respond|handle|react)|recommend|初動|どう対応|何をすべき/iu],
  ['similar', /similar|like this|same kind|似た|類似/iu],
  ['what-is', /what is (?:this|it)|what's this|explain|what kind|what type|これは何|何の(?:攻撃|アラート)/iu],
];

/**
 * What a question reads at most: the intents' expressions have two `.*` each, which backtrack in
 * cubic time (20,000 characters took over a minute); a question is a sentence, not a page.
 */
const QUESTION_MAX = 500;

export function detectIntent(text: string): Intent {
  const q = text.slice(0, QUESTION_MAX);
  for (const [intent, re] of INTENTS) if (re.test(q)) return intent;
  return 'help';
}

/** The first address (IPv4 or IPv6) a text names, as the relation index keys it. */
function firstAddress(text: string): string | null {
  for (const a of addressValues(text)) {
    const key = addressKey(a);
    if (key !== null) return key;
  }
  return null;
}

const isAddressKey = (subject: string): boolean => addressKey(subject) !== null;

/** Four dot-separated numbers, perhaps with a prefix: what a reader takes for an IPv4 address or network. */
const DOTTED_QUAD = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,3}))?(?![\w.]|\.\d)/g;

/**
 * What is wrong with an address the question writes that is none (`999.1.1.1`, `10.0.0.1/33`), or null.
 * Without it the answer fell back on the incident's own subject and answered a question nobody asked.
 */
export function badAddressIn(question: string): string | null {
  for (const m of question.slice(0, QUESTION_MAX).matchAll(DOTTED_QUAD)) {
    const over = m.slice(1, 5).find((n) => Number(n) > 255);
    if (over !== undefined) return `${m[0]} is not an IPv4 address: ${over} is over 255. Ask again with the address as the logs write it.`;
    if (m[5] !== undefined && Number(m[5]) > 32) return `${m[0]} is not an IPv4 network: a prefix is /0 to /32. Ask again with the address, or a prefix of at most /32.`;
  }
  return null;
}

/** The first host name in `text`, lower case: `login-verify-portal.info`, not `setup.exe` or `e.g.`. */
function firstHostName(text: string): string | null {
  return hostNamesIn(text)[0] ?? null;
}

/** The host of a URL as the incident records it (`http://a.example/x`, `a.example/x`), as a pivot reads it; null for none or an address. */
function urlHost(url: string): string | null {
  try {
    const key = parseEntity(`url:${url}`).key;
    // a URL cell without its host (`wp-login.php`) names a file, not a host to pivot on
    return key.startsWith('domain:') ? domainName(key.slice(7)) : null;
  } catch {
    return null;
  }
}

/**
 * What a question about other hosts is about: an address in the question, else a host name in it (who
 * asked for it), else the incident's outside address (destination first), its source, its destination, then its URL's host,
 * then its domain.
 */
export function subjectOf(question: string, incident: Incident | null): string | null {
  const q = question.slice(0, QUESTION_MAX);
  const inQuestion = firstAddress(q);
  if (inQuestion !== null) return inQuestion;
  const name = firstHostName(q);
  if (name !== null) return name;
  const f = incident?.record?.fields;
  // who else talked to the outside address the report names (a beacon's C2, a scanner), not the reporter's own
  // workstation: "which other hosts talked to this IP?" answered for 10.0.2.76, not its C2 107.14.167.2 (UX review)
  const key = (x: string | undefined) => (x === undefined ? null : addressKey(x));
  const ips = [key(f?.dstIp?.value), key(f?.srcIp?.value)].filter((x): x is string => x !== null);
  const outside = ips.find((x) => !isInternalIp(x));
  if (outside !== undefined) return outside;
  for (const x of [key(f?.srcIp?.value), key(f?.dstIp?.value)]) if (x !== null) return x;
  const fromUrl = f?.url?.value === undefined ? null : urlHost(f.url.value);
  if (fromUrl !== null) return fromUrl;
  // a report that names a site only in its text (an e-mail's phishing link): the record's domain, which
  // the page shows beside the answer that asked "which address or site?"
  return f?.domain?.value === undefined ? null : domainName(f.domain.value);
}

export interface ChatContext {
  incident: Incident | null;
  similar: SimilarResult[];
  suggestion: Suggestion | null;
  logs: LogPages | null;
  pivots?: PivotSource | null;
  now: number;
}

function cite(x: Incident, snippet: string): Citation {
  return { kind: 'incident', ref: x.id, snippet: snippet.slice(0, 300) };
}

async function hostsAnswer(question: string, ctx: ChatContext): Promise<Composed> {
  const subject = subjectOf(question, ctx.incident);
  if (subject === null) return { answer: 'Which address or site? Name an IP address or a host name in the question, or open an incident that has one.', citations: [] };
  const range = chatRange(ctx.now);
  const pivot = pivotFor(subject, range, ctx.pivots ?? null);
  const fromPivots = pivot === null ? null : pivotHosts(subject, pivot);
  // the logons the address tried, beside the hosts it reached: a brute force's are most of what it did
  const logons = pivot === null || !isAddressKey(subject) ? null : await logonPart(subject, pivot, ctx.logs, fromPivots?.citations.length ?? 0);
  if (fromPivots !== null) return logons === null ? fromPivots : { answer: `${fromPivots.answer} ${logons.text}`, citations: [...fromPivots.citations, ...logons.citations] };
  if (logons !== null) return { answer: `In the last 7 days the relation index records no host talking to ${subject}, nor one it reached. ${logons.text}`, citations: logons.citations };
  if (ctx.logs === null) return { answer: `The log store is not connected here, so I cannot say which hosts talked to ${subject}.`, citations: [] };
  // an address as the evidence searches write it (`ip:"::1"`: a bare `::1` is no term of the query language)
  const q = isAddressKey(subject) ? searchTerm(`ip:${subject}`) : subject;
  const { hits, skipped = [] } = await ctx.logs.page(q, range, 500, null);
  // a search that left damaged shards out says so (SEARCH_SHARDS_SKIPPED): the lines of their time are not counted
  const partial = skipped.length === 0 ? '' : ` ${skipped.length === 1 ? 'A damaged shard was' : `${skipped.length} damaged shards were`} left out of the search (the store problems name ${skipped.length === 1 ? 'it' : 'them'}), so lines from ${skipped.length === 1 ? 'its' : 'their'} time are missing.`;
  const others = new Map<string, Hit[]>();
  for (const h of hits) {
    const named = new Set(addressValues(h.raw).map((a) => addressKey(a) ?? a));
    for (const other of named) if (other !== subject) others.set(other, [...(others.get(other) ?? []), h]);
  }
  if (others.size === 0) return { answer: `No stored log line of the last 7 days names another address together with ${subject} (${hits.length} lines mention it).${partial}`, citations: hits.slice(0, 3).map((h) => logCite(q, h)) };
  const ranked = [...others.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const list = ranked.slice(0, 10).map(([o, hs], i) => `${o} (${hs.length} line${hs.length === 1 ? '' : 's'}) [${i + 1}]`);
  return {
    answer: `In the last 7 days ${others.size} other address${others.size === 1 ? '' : 'es'} appear in log lines with ${subject}${others.size > list.length ? ` (the ${list.length} in most lines shown)` : ''}: ${list.join(', ')}.${hits.length === 500 ? ' Only the newest 500 lines were read.' : ''}${partial}`,
    citations: ranked.slice(0, 10).map(([, hs]) => logCite(q, hs[0] as Hit)),
  };
}

/** How many of a pivot's linked hosts each part of the answer names; the rest are counted. */
const SHOWN_PER_PART = 5;

/** One host linked to the subject in one sense, its relations merged (an address can be both a `flow` and an `alert`). */
interface Linked {
  entity: string;
  relations: { relation: string; count: number; ref: string; evidence: Neighbour['evidence'] }[];
  count: number;
  blocklist: BlocklistHit[];
}

/**
 * Addresses and names related to `subject` (an address or a host name) in the investigation's relation
 * index, or null when there is none or it knows nothing of either. Each part of the answer says which way
 * the relation runs and counts its own hosts: who talked to (asked for) the subject, what the subject
 * itself reached, the names it asked for, and names and addresses tied by DNS answers. Until 2026-12 one
 * count of every address in every direction led the answer ("links 10 addresses to X; no address is
 * recorded talking to X") and names were dropped, so a beaconing workstation's answer left out its C2
 * domain (found by a UX review). A blocklisted host is named before the more frequent ones of its part.
 */
function pivotHosts(subject: string, result: PivotResult): Composed | null {
  // a name is asked for (DNS, proxy, URL and TLS logs); an address is talked to
  const name = !isAddressKey(subject);
  type Part = 'in' | 'out-ip' | 'out-name' | 'dns';
  const parts = new Map<Part, { linked: Map<string, Linked>; cut: boolean; atLeast: number }>();
  const partOf = (g: PivotGroup, entity: string): Part | null => {
    const ip = entity.startsWith('ip:');
    if (!ip && !entity.startsWith('domain:')) return null; // accounts, devices, ports, signatures: not hosts
    if (g.relation === 'resolve') return 'dns'; // a name's answers, or the names that answered with this address
    if (g.direction === 'in') return ip ? 'in' : null;
    return ip ? 'out-ip' : 'out-name';
  };
  for (const g of result.groups) {
    const seen = new Set<Part>();
    for (const n of g.neighbours) {
      const part = partOf(g, n.entity);
      if (part === null) continue;
      let p = parts.get(part);
      if (p === undefined) parts.set(part, (p = { linked: new Map(), cut: false, atLeast: 0 }));
      seen.add(part);
      let l = p.linked.get(n.entity);
      if (l === undefined) p.linked.set(n.entity, (l = { entity: n.entity, relations: [], count: 0, blocklist: [] }));
      l.relations.push({ relation: g.relation, count: n.count, ref: `${result.entity} ${g.direction} ${g.relation} ${n.entity}`, evidence: n.evidence });
      l.count += n.count;
      for (const b of n.blocklist) if (!l.blocklist.some((x) => x.list === b.list && x.indicator === b.indicator)) l.blocklist.push(b);
    }
    // a group lists its most frequent neighbours only (or was read in part): its part has at least its total
    for (const part of seen) {
      const p = parts.get(part)!;
      if (g.total > g.neighbours.length || g.truncated === true) p.cut = true;
      p.atLeast = Math.max(p.atLeast, g.total);
    }
  }
  if (parts.size === 0) return null;

  const citations: Citation[] = [];
  const phrase = (part: Part): string | null => {
    const p = parts.get(part);
    if (p === undefined) return null;
    const all = [...p.linked.values()].sort((a, b) => Number(b.blocklist.length > 0) - Number(a.blocklist.length > 0) || b.count - a.count || (a.entity < b.entity ? -1 : 1));
    const total = Math.max(all.length, p.atLeast);
    const shown = all.slice(0, SHOWN_PER_PART).map((l) => {
      const main = [...l.relations].sort((a, b) => b.count - a.count)[0]!;
      const { q, from, to } = main.evidence;
      citations.push({ kind: 'pivot', ref: main.ref, snippet: `evidence: ${q} (${new Date(from).toISOString()} – ${new Date(to).toISOString()})`, search: { q, from, to } });
      const how = l.relations.map((r) => `${r.relation} ${r.count}×`).join(', ');
      const flagged = l.blocklist.length === 0 ? '' : `, on a blocklist: ${l.blocklist[0]!.list}${l.blocklist.length > 1 ? ` and ${l.blocklist.length - 1} more` : ''}`;
      return `${l.entity.slice(l.entity.indexOf(':') + 1)} (${how}${flagged}) [${citations.length}]`;
    });
    const rest = total - shown.length;
    const more = rest > 0 ? `, and ${p.cut ? 'at least ' : ''}${rest} more` : '';
    const many = (n: number, one: string, other: string) => `${p.cut ? 'at least ' : ''}${n} ${n === 1 ? one : other}`;
    const list = `${shown.join(', ')}${more}`;
    const ips = many(total, 'address', 'addresses');
    const names = many(total, 'name', 'names');
    switch (part) {
      case 'in':
        return `${ips} ${name ? 'asked for' : 'talked to'} ${subject}: ${list}`;
      case 'out-ip':
        return `${subject} itself reached ${ips}: ${list}`;
      case 'out-name':
        return `${subject} asked for ${names}: ${list}`;
      case 'dns':
        return name ? `${subject} resolved to ${ips}: ${list}` : `${names} resolved to ${subject}: ${list}`;
    }
  };
  const inbound = phrase('in');
  const others = (['out-ip', 'out-name', 'dns'] as const).map(phrase).filter((x): x is string => x !== null);
  // the direction the question asks about is answered first, and an empty one is said as such, not under a count of the others
  const listed = result.blocklist.length === 0 ? '' : ` ${subject} itself is on a blocklist: ${result.blocklist[0]!.list}${result.blocklist.length > 1 ? ` and ${result.blocklist.length - 1} more` : ''}.`;
  const answer =
    inbound !== null
      ? `In the last 7 days, by the relation index, ${[inbound, ...others].join('; ')}.${listed}`
      : `In the last 7 days the relation index records no host ${name ? 'asking for' : 'talking to'} ${subject}, but ${others.join('; ')}.${listed}`;
  return { answer, citations };
}

function logCite(q: string, h: Hit): Citation {
  return { kind: 'log', ref: `${h.shard}#${h.rowid}`, snippet: h.raw.slice(0, 300), search: lineSearch(q, h) };
}

/**
 * What was done in the close past incidents: those `closeness` lets the first action be drawn from, so
 * the two answers agree. Unfiltered, a DDoS got a port scan's, an SSH brute force's and a beacon's responses
 * as "last time" while the first action said nothing was close. With none close, the nearest are named with
 * why each is not close: the similar-incidents list shows them first, some with a recorded response.
 */
function lastTimeAnswer(ctx: ChatContext): Composed {
  const judged = ctx.incident === null ? [] : closeness(ctx.incident, ctx.similar);
  const done = judged.filter((c) => c.why === null).slice(0, 3).map((c) => c.result);
  if (done.length === 0) {
    if (ctx.similar.length === 0) return { answer: 'The incident base has nothing similar yet.', citations: [] };
    const nearest = (judged.length > 0 ? judged : ctx.similar.map((result) => ({ result, why: null }))).slice(0, 3);
    return {
      answer: `No close past incident recorded a response. The nearest, not close: ${nearest.map(({ result: r, why }, i) => `"${r.incident.title.slice(0, 80)}" [${i + 1}]${why === null ? '' : ` (${why})`}`).join('; ')}.`,
      citations: nearest.map(({ result: r }) => cite(r.incident, r.incident.title)),
    };
  }
  const parts = done.map((r, i) => {
    const steps = [r.incident.firstAction, r.incident.countermeasure].filter((x): x is string => x !== null);
    const what = steps.length > 0 ? steps.join(' Then: ') : r.incident.steps.slice(0, 2).join(' ');
    return `"${r.incident.title}" — ${what}${r.incident.outcome !== null ? ` (outcome: ${r.incident.outcome})` : ''} [${i + 1}]`;
  });
  return { answer: `Last time, in the most similar incidents: ${parts.join('; ')}.`, citations: done.map((r) => cite(r.incident, [r.incident.firstAction, r.incident.countermeasure].filter(Boolean).join(' | ') || r.incident.steps.join(' | '))) };
}

function firstActionAnswer(ctx: ChatContext): Composed {
  const s = ctx.suggestion;
  if (s === null) return { answer: 'Open or paste an incident first; I suggest a first action for a given incident.', citations: [] };
  if (s.source === 'playbook') {
    const why = s.nearest === undefined ? '' : ` (the best match, "${s.nearest.title.slice(0, 80)}", is not close: ${s.nearest.why})`;
    return { answer: `Nothing close in the incident base${why}, so from the ${s.playbook?.category} playbook: ${s.action}${s.countermeasure !== null ? ` Afterwards: ${s.countermeasure}` : ''} (source: ${PLAYBOOK_SOURCE})`, citations: [] };
  }
  // the action is a suggestion in the imperative (first-action.ts `forThisReport`); what was done then is the
  // snippet of [1], the incident the action was taken from (`from[0]`), in its own words; the
  // others did the same. Cited in similarity order, [1] could be an incident that did something else.
  const also = s.from.slice(1).map((_, i) => `[${i + 2}]`);
  return {
    answer: `Suggested first action (confidence ${s.confidence.toFixed(2)}, from ${s.from.length} similar incident${s.from.length === 1 ? '' : 's'}): ${s.action}${s.countermeasure !== null ? ` Afterwards: ${s.countermeasure}` : ''} [1]${also.length > 0 ? ` The same was done in ${also.join(', ')}.` : ''}${(s.leftOut ?? []).length > 0 ? ` Left out of what was done then: ${(s.leftOut ?? []).join('; ')}.` : ''}`,
    citations: s.from.map((f) => ({ kind: 'incident' as const, ref: f.id, snippet: f.action.slice(0, 300) })),
  };
}

/** An address and its port as written in text: an IPv6 address takes brackets (`[2001:db8::1]:443`, not `2001:db8::1:443`). */
function endpoint(address: string, port: string | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function whatIsAnswer(ctx: ChatContext): Composed {
  const x = ctx.incident;
  if (x === null) return { answer: 'Open or paste an incident first.', citations: [] };
  const f = x.record?.fields;
  const category = f?.category?.value ?? x.attrs.category?.[0] ?? 'other';
  const threat = namedThreat(f?.threatName?.value);
  const facts = [
    threat !== null ? `threat "${threat}"` : null,
    `category ${category}`,
    f?.severity !== undefined ? `severity ${f.severity.value}` : null,
    f?.srcIp !== undefined ? `from ${endpoint(f.srcIp.value, f.srcPort?.value)}` : null,
    f?.dstIp !== undefined ? `to ${endpoint(f.dstIp.value, f.dstPort?.value)}` : null,
    f?.protocol !== undefined ? `over ${f.protocol.value}` : null,
    f?.deviceAction !== undefined ? `device action: ${f.deviceAction.value}` : null,
  ].filter((s): s is string => s !== null);
  const entry = PLAYBOOK[category as Category];
  const vector = entry === undefined ? '' : ` In NIST SP 800-61 terms the attack vector is ${entry.nistVector}.`;
  return { answer: `This is "${x.title}": ${facts.join(', ')}.${vector} [1]`, citations: [cite(x, threat ?? x.title)] };
}

function similarAnswer(ctx: ChatContext): Composed {
  const top = ctx.similar.slice(0, 5);
  if (top.length === 0) return { answer: 'The incident base has nothing similar yet.', citations: [] };
  return {
    answer: `The most similar incidents: ${top.map((r, i) => `"${r.incident.title.slice(0, 80)}" (shares ${[...r.why.matchedFields.map((m) => m.field), ...r.why.sharedTerms.slice(0, 3)].join(', ') || 'words'}) [${i + 1}]`).join('; ')}.`,
    citations: top.map((r) => cite(r.incident, r.incident.title)),
  };
}

export const HELP_ANSWER =
  'I can answer: "what is this?", "what did we do last time?", "what should I do first?", "which other hosts talked to this IP?", "which hosts were affected?" (every indicator of the incident looked for in the logs), "was any login from it successful?" and "show similar incidents".';

/** Whose logons a question asks about: an address in it, else the incident's source (where the attack came from), else what `subjectOf` picks. */
function loginSubject(question: string, incident: Incident | null): string | null {
  const inQuestion = firstAddress(question.slice(0, QUESTION_MAX));
  if (inQuestion !== null) return inQuestion;
  const src = incident?.record?.fields.srcIp?.value;
  const srcKey = src === undefined ? null : addressKey(src);
  if (srcKey !== null) return srcKey;
  const other = subjectOf(question, incident);
  return other !== null && isAddressKey(other) ? other : null;
}

/** The log store as an answer reads it, each page's left-out shards gathered into `skipped`. */
function gathering(logs: LogPages | null, skipped: SkippedShards): LogPages | null {
  if (logs === null) return null;
  return {
    page: async (query, range, limit, cursor) => {
      const page = await logs.page(query, range, limit, cursor);
      skipped.add(page.skipped ?? []);
      return page;
    },
  };
}

/**
 * Composes the template answer for the last user message. `skipped` gathers what every log search behind it left
 * out: until 2026-12 only the hosts answer said so, in its text, and nothing told a client (or `nml assist ask`'s
 * exit status) that an answer was partial; the logins answer's hosts were counted without the lost lines unsaid.
 */
export async function answer(messages: readonly ChatMessage[], ctx: ChatContext): Promise<Omit<ChatAnswer, 'phrased'>> {
  const question = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const intent = detectIntent(question);
  const skipped = new SkippedShards();
  const composed = await compose(intent, question, { ...ctx, logs: gathering(ctx.logs, skipped) });
  return { intent, ...composed, skipped: skipped.list };
}

async function compose(intent: Intent, question: string, ctx: ChatContext): Promise<Composed> {
  if ((intent === 'logins' || intent === 'hosts' || intent === 'sightings') && firstAddress(question.slice(0, QUESTION_MAX)) === null) {
    const bad = badAddressIn(question);
    if (bad !== null) return { answer: bad, citations: [] };
  }
  switch (intent) {
    case 'logins':
      return loginsAnswer(loginSubject(question, ctx.incident), chatRange(ctx.now), ctx.pivots ?? null, ctx.logs);
    case 'hosts':
      return hostsAnswer(question, ctx);
    case 'sightings':
      return sightingsAnswer(question, { incident: ctx.incident, logs: ctx.logs, pivots: ctx.pivots ?? null, now: ctx.now });
    case 'last-time':
      return lastTimeAnswer(ctx);
    case 'first-action':
      return firstActionAnswer(ctx);
    case 'what-is':
      return whatIsAnswer(ctx);
    case 'similar':
      return similarAnswer(ctx);
    case 'help':
      return { answer: HELP_ANSWER, citations: [] };
  }
}
