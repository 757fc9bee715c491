/**
 * Chat: "which hosts were affected?", "have we seen these indicators in our logs?". Every indicator the incident names
 * (or the question, when it names its own: `chat-indicators.ts`), up to INDICATORS_MAX, is looked for over the window
 * the other log intents read (the last 7 days): how many stored lines mention it, when it was first and last seen, and
 * which internal hosts touched it, from the relation index (each with its users, where the index knows who is behind
 * the address) and from the lines read. One that no line mentions is said to be so: that is the answer too. Until
 * 2026-12 these questions got the list of questions chat knows, and "which hosts talked to it?" answered for one
 * address of the incident only (UX review of the demo's beacon incident).
 */
import type { TimeRange } from '../core/index.js';
import type { Hit } from '../search/index.js';
import { isInternalIp, peopleOnce, type Neighbour, type PivotResult } from '../investigate/index.js';
import { addressValues } from './addresses.js';
import { addressKey, incidentIndicators, questionIndicators, type Indicator, type Named } from './chat-indicators.js';
import { pivotFor } from './chat-logins.js';
import { chatRange, lineSearch, type Citation, type LogPages, type PivotSource } from './chat-sources.js';
import type { Incident } from './incident.js';

/** Indicators looked for per question; the rest are counted and named. */
export const INDICATORS_MAX = 10;
/** Lines read per indicator: the hosts intent's search budget. */
export const LINES_PER_INDICATOR = 500;
/** Internal hosts named per indicator; the rest are counted. */
const HOSTS_SHOWN = 5;
/** The indicators left unsearched that the answer names; the rest are counted. */
const UNSEARCHED_SHOWN = 5;

/** An internal host that touched an indicator: how (the pivot's relations, or lines that name both), who is behind it. */
interface Toucher {
  address: string;
  how: string[];
  lines: number;
  users: Set<string>;
  cite: Citation;
}

/** What was found of one indicator. */
interface Sighting {
  x: Indicator;
  hits: Hit[];
  /** the damaged or missing shards its search left out */
  skipped: string[];
  hosts: Toucher[];
  /** the pivot listed only the most frequent, or was read in part: there may be more hosts */
  morePossible: boolean;
}

const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/u, 'Z');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function evidenceSnippet(n: Neighbour): string {
  return `evidence: ${n.evidence.q} (${iso(n.evidence.from)} – ${iso(n.evidence.to)})`;
}

/** The internal hosts the relation index links to the indicator, either way (a DNS answer is no touch), with their users. */
function pivotHosts(result: PivotResult, hosts: Map<string, Toucher>): boolean {
  let cut = result.truncated === true || result.timedOut === true;
  for (const g of result.groups) {
    if (g.relation === 'resolve') continue;
    const internal = g.neighbours.filter((n) => n.entity.startsWith('ip:') && isInternalIp(n.entity.slice(3)));
    if (internal.length > 0 && (g.total > g.neighbours.length || g.truncated === true)) cut = true;
    for (const n of internal) {
      const address = n.entity.slice(3);
      let h = hosts.get(address);
      if (h === undefined) {
        const ref = `${result.entity} ${g.direction} ${g.relation} ${n.entity}`;
        hosts.set(address, (h = { address, how: [], lines: 0, users: new Set(), cite: { kind: 'pivot', ref, snippet: evidenceSnippet(n), search: { ...n.evidence } } }));
      }
      h.how.push(`${g.relation} ${n.count}×`);
      for (const u of n.identity?.users ?? []) h.users.add(u);
    }
  }
  return cut;
}

/**
 * What of a line names addresses that touched nothing: an address range (PAN-OS's `10.0.0.0-10.255.255.255` location
 * column) and an RFC 5424 line's structured data (`[origin ip="10.0.0.2"]`: the relay or device that sent it).
 */
const NO_HOSTS = /(?<![\w.:])[\d.]{7,15}-[\d.]{7,15}(?![\w.])|\[[\w.@-]+(?: [\w.-]+="(?:[^"\\\]]|\\.)*")+\]/gu;

/**
 * The internal addresses that stored lines name together with the indicator, each cited by its newest line: counted on
 * the hosts the relation index named, and added as hosts only when it named none (it is not there, or knows nothing of
 * the indicator). A line names more than the hosts that touched the indicator (a firewall's or relay's own address, a
 * DNS server), so the index, which knows which address did what, is taken first, as the hosts intent takes it.
 */
function lineHosts(x: Indicator, hits: readonly Hit[], hosts: Map<string, Toucher>): void {
  const fromIndex = hosts.size > 0;
  const counted = new Map<string, { n: number; hit: Hit }>();
  for (const h of hits) {
    for (const a of new Set(addressValues(h.raw.replace(NO_HOSTS, ' ')).map((v) => addressKey(v) ?? v))) {
      if (a === x.value || !isInternalIp(a)) continue;
      const c = counted.get(a);
      if (c === undefined) counted.set(a, { n: 1, hit: h });
      else c.n++;
    }
  }
  for (const [address, { n, hit }] of counted) {
    const known = hosts.get(address);
    if (known !== undefined) known.lines = n;
    else if (!fromIndex) hosts.set(address, { address, how: [], lines: n, users: new Set(), cite: { kind: 'log', ref: `${hit.shard}#${hit.rowid}`, snippet: hit.raw.slice(0, 300), search: lineSearch(x.query, hit) } });
  }
}

async function sight(x: Indicator, range: TimeRange, logs: LogPages, pivots: PivotSource | null): Promise<Sighting> {
  const { hits, skipped = [] } = await logs.page(x.query, range, LINES_PER_INDICATOR, null);
  const hosts = new Map<string, Toucher>();
  const pivot = x.pivot === null ? null : pivotFor(x.pivot, range, pivots);
  const morePossible = pivot === null ? false : pivotHosts(pivot, hosts);
  lineHosts(x, hits, hosts);
  const ranked = [...hosts.values()].sort((a, b) => b.how.length - a.how.length || b.lines - a.lines || (a.address < b.address ? -1 : 1));
  return { x, hits, skipped: skipped.map((k) => k.file), hosts: ranked, morePossible };
}

/** How an indicator is named in the answer: its kind, then its value (a URL quoted, so its own dots end no sentence). */
function shown(x: Indicator, start = false): string {
  const the = start ? 'The' : 'the';
  return x.kind === 'url' ? `${the} URL ${x.value}` : x.kind === 'domain' ? `${the} domain ${x.value}` : x.value;
}

export interface SightingsContext {
  incident: Incident | null;
  logs: LogPages | null;
  pivots: PivotSource | null;
  now: number;
}

const NO_INDICATOR =
  'names no address, domain or URL to look for in the logs. Name one in the question ("have we seen 203.0.113.5 in our logs?"), or ask "what should I do first?" or "show similar incidents".';

/**
 * The answer to "which hosts were affected?" / "have we seen these indicators?": the indicators the question names,
 * else the incident's, each looked for in the log store (LINES_PER_INDICATOR lines) and the relation index over the
 * last 7 days, every count, time and host cited.
 */
export async function sightingsAnswer(question: string, ctx: SightingsContext): Promise<{ answer: string; citations: Citation[] }> {
  const asked = questionIndicators(question);
  const fromQuestion = asked.indicators.length > 0;
  const x = ctx.incident;
  if (!fromQuestion && x === null) return { answer: 'Open or paste an incident first, or name an address, domain or URL in the question ("have we seen evil.example in our logs?").', citations: [] };
  const found: Named = fromQuestion || x === null ? asked : incidentIndicators(x);
  const citations: Citation[] = [];
  const cite = (c: Citation): string => {
    citations.push(c);
    return `[${citations.length}]`;
  };
  const Whose = fromQuestion ? 'The question' : 'The report';
  const reportCite = (): string => (fromQuestion || x === null ? '' : ` ${cite({ kind: 'incident', ref: x.id, snippet: [...found.indicators.map((i) => i.value), ...found.own].join(', ').slice(0, 300) || x.title.slice(0, 300) })}`);
  const n = found.own.length;
  const ownNote = n === 0 ? '' : ` ${Whose} names ${n === 1 ? 'an internal address' : 'internal addresses'} too, ${found.own.join(', ')}: ${n === 1 ? 'a host' : 'hosts'} of the network, not looked for as ${n === 1 ? 'an indicator' : 'indicators'} ("which hosts talked to ${found.own[0]}?" asks about ${n === 1 ? 'it' : 'one'}).`;
  if (found.indicators.length === 0) return { answer: `${Whose}${reportCite()} ${NO_INDICATOR}${ownNote}`, citations };
  const searched = found.indicators.slice(0, INDICATORS_MAX);
  const rest = found.indicators.slice(INDICATORS_MAX);
  const names = `${Whose} names ${plural(found.indicators.length, 'indicator')}${reportCite()}`;
  if (ctx.logs === null) {
    return { answer: `${names}, but the log store is not connected here, so I cannot say whether ${searched.map((i) => shown(i)).join(', ')} ${searched.length === 1 ? 'was' : 'were'} seen.${ownNote}`, citations };
  }
  const range = chatRange(ctx.now);
  const sightings: Sighting[] = [];
  for (const i of searched) sightings.push(await sight(i, range, ctx.logs, ctx.pivots));
  const seen = sightings.filter((s) => s.hits.length > 0 || s.hosts.length > 0);
  const unseen = sightings.filter((s) => s.hits.length === 0 && s.hosts.length === 0);
  const firstOnly = rest.length > 0 ? ` (the first ${searched.length} looked for)` : '';
  const nowhere = `in the logs of the last 7 days${ctx.pivots === null ? '' : ' nor in the relation index'}`;
  const unseenList = (): string => unseen.map((s) => `${shown(s.x)} ${cite({ kind: 'log', ref: `${s.x.query} (no line)`, snippet: `search: ${s.x.query} (${iso(range.from!)} – ${iso(range.to!)}): no line`, search: { q: s.x.query, from: range.from!, to: range.to! } })}`).join(', ');

  const parts: string[] = [];
  if (seen.length === 0) {
    parts.push(`${names}; ${searched.length === 1 ? 'it is not' : 'none of them is'} ${nowhere}${firstOnly}: ${unseenList()}.`);
  } else {
    const allHosts = [...new Set(seen.flatMap((s) => s.hosts.map((h) => h.address)))];
    const touched = allHosts.length === 0 ? 'no internal host is named with any' : `touched by ${plural(allHosts.length, 'internal host')}: ${allHosts.slice(0, 10).join(', ')}${allHosts.length > 10 ? `, and ${allHosts.length - 10} more` : ''}`;
    const which = searched.length === 1 ? 'it is' : seen.length === searched.length ? 'all are' : `${seen.length} ${seen.length === 1 ? 'is' : 'are'}`;
    parts.push(`${names}; ${which} in the logs of the last 7 days${firstOnly}, ${touched}.`);
    for (const s of seen) parts.push(seenPart(s, range, cite));
    if (unseen.length > 0) parts.push(`Not ${nowhere}: ${unseenList()}.`);
  }
  if (rest.length > 0) {
    const list = rest.slice(0, UNSEARCHED_SHOWN).map((i) => shown(i)).join(', ');
    parts.push(`${plural(rest.length, 'more indicator was', 'more indicators were')} not looked for (${INDICATORS_MAX} at most a question): ${list}${rest.length > UNSEARCHED_SHOWN ? `, and ${rest.length - UNSEARCHED_SHOWN} more` : ''}; ask "have we seen ${rest[0]!.value} in our logs?" for one.`);
  }
  // a search that left damaged shards out says so, as the hosts intent's does: its counts are lower bounds
  const lost = new Set(sightings.flatMap((s) => s.skipped)).size;
  if (lost > 0) parts.push(`${lost === 1 ? 'A damaged shard was' : `${lost} damaged shards were`} left out of the searches (the store problems name ${lost === 1 ? 'it' : 'them'}), so lines from ${lost === 1 ? 'its' : 'their'} time are missing and the counts are lower bounds.`);
  return { answer: `${parts.join(' ')}${ownNote}`, citations };
}

/** One indicator seen: its lines, first and last seen (cited by the first line, with the search of them all), its internal hosts. */
function seenPart(s: Sighting, range: TimeRange, cite: (c: Citation) => string): string {
  const full = s.hits.length === LINES_PER_INDICATOR;
  const lines = s.hits.length === 0 ? 'no stored line (the relation index alone knows it)' : `${full ? 'at least ' : ''}${plural(s.hits.length, 'line')}`;
  let when = '';
  if (s.hits.length > 0) {
    const first = s.hits.reduce((a, b) => (b.time < a.time ? b : a));
    const last = s.hits.reduce((a, b) => (b.time > a.time ? b : a));
    when = `, first seen ${iso(first.time)}${full ? ' of the newest read' : ''}, last ${iso(last.time)} ${cite({ kind: 'log', ref: `${first.shard}#${first.rowid}`, snippet: first.raw.slice(0, 300), search: { q: s.x.query, from: range.from!, to: range.to! } })}`;
  }
  const shownHosts = s.hosts.slice(0, HOSTS_SHOWN).map((h) => {
    const how = [...h.how, ...(h.lines > 0 ? [`in ${plural(h.lines, 'line')} read`] : [])].join(', ');
    const people = peopleOnce([...h.users]);
    const users = people.length === 0 ? '' : `; ${people.length === 1 ? 'user' : 'users'} ${people.slice(0, 3).join(', ')}`;
    return `${h.address} (${how}${users}) ${cite(h.cite)}`;
  });
  const more = s.hosts.length - shownHosts.length;
  const hosts =
    shownHosts.length === 0
      ? '; no internal host named with it'
      : `; internal ${s.hosts.length === 1 && !s.morePossible ? 'host' : 'hosts'}: ${shownHosts.join(', ')}${more > 0 ? `, and ${more} more` : ''}${s.morePossible ? ' (the relation index listed its most frequent: there may be more)' : ''}`;
  return `${shown(s.x, true)}: ${lines}${when}${hosts}.`;
}
