/**
 * Pivots over the relation index: the neighbours of an entity grouped by relation (with blocklist hits,
 * articles, the user behind internal addresses and a search that shows the evidence lines), and the
 * scope of impact of a host (other hosts that reached the same destinations, many and rare ones first).
 */
import { bareUser, type TimeRange } from '../core/index.js';
import type { EdgeSummary } from '../store/index.js';
import { Articles } from './articles.js';
import { Blocklists, type BlocklistStatus } from './blocklists.js';
import type { BlocklistHit } from './blocklist.js';
import { findClients } from './clients.js';
import { Deadline, edgesIn, edgesOut, MAX_IDENTITIES, PIVOT_TIME_BUDGET_MS, wholePeriods, type RelationSource } from './edge-read.js';
import { byLines } from './line-order.js';
import { isInternalIp, parseEntity, searchTerm, splitKey } from './entity.js';
import type { ClientsResult, Evidence, Identity, IdentityName, Neighbour, PivotGroup, PivotResult, ScopeHost, ScopeResult } from './types.js';


export interface InvestigatorOptions {
  relations: RelationSource;
  blocklists?: Blocklists;
  articles?: Articles;
  /** the clock that ends a range without `to` (a pivot over its row budget reads the latest part of it) */
  now?: () => number;
  /** a monotonic clock in ms for the time budget of a question (PIVOT_TIME_BUDGET_MS); tests step it */
  clock?: () => number;
}

export interface InvestigatorStatus {
  blocklists: BlocklistStatus;
  articles: { dir: string | null; loadedAt: number | null; error: string | null; files: number; entities: number };
}

const KIND_ORDER = ['query', 'request', 'resolve', 'flow', 'blocked', 'service', 'alert', 'lease', 'hostname', 'login', 'login_failed', 'user', 'alias'];
/** what a qualified name an account is written as (`corp\alice` of `alice`) adds to the account's pivot */
const ALIAS_KINDS = KIND_ORDER.filter((k) => k !== 'alias');
/** qualified names whose edges one pivot of an account merges, most seen first */
const MAX_ALIASES = 5;
/** DHCP leases and logons are often older than the range asked about: identity looks a day further back. */
const IDENTITY_LOOKBACK_MS = 86_400_000;
const DAY_MS = 86_400_000;
/** A destination reached by more sources than this (a resolver, a CDN) says nothing about shared compromise. */
export const SCOPE_FANIN_CAP = 100;
/** Sources read of one blocklisted destination, however many reached it (each is a host to check). */
export const SCOPE_BLOCKLISTED_SOURCES = 2_000;
/**
 * Source rows read per scope question at most: destinations are read rarest first (they weigh most), so
 * a host that reached thousands of places costs a bounded time; what is left is reported as `skipped`.
 * The host's own destinations are read within the same number of rows, newest first (`readFrom`).
 */
export const SCOPE_ROW_BUDGET = 20_000;
/**
 * Destinations whose fan-in scope counts at most: blocklisted ones first, then the most reached. A scanner
 * reaches tens of thousands an hour, and counting each one's sources is an index seek per file; the rest
 * are reported as `unexamined`.
 */
export const SCOPE_MAX_DESTINATIONS = 2_000;
/** index seeks (destinations × files) per fan-in read, so the time budget is checked between small reads */
const SCOPE_SEEKS_PER_READ = 20_000;
const SCOPE_KINDS_IP = ['flow', 'blocked', 'alert'];
/** a name is reached by asking for it (DNS) or for a page or TLS session on it (URL, proxy and HTTP logs, SNI) */
const SCOPE_KINDS_DOMAIN = ['query', 'request'];

const kindRank = (k: string): number => {
  const i = KIND_ORDER.indexOf(k);
  return i < 0 ? KIND_ORDER.length : i;
};

export class Investigator {
  private readonly relations: RelationSource;
  private readonly now: () => number;
  private readonly clock: () => number;
  readonly blocklists: Blocklists;
  readonly articles: Articles;

  constructor(opts: InvestigatorOptions) {
    this.relations = opts.relations;
    this.now = opts.now ?? Date.now;
    this.clock = opts.clock ?? (() => performance.now());
    this.blocklists = opts.blocklists ?? new Blocklists(null);
    this.articles = opts.articles ?? new Articles(null);
  }

  /** Loads (or reloads) blocklists and articles; resolves when both are in place. */
  async reload(): Promise<InvestigatorStatus> {
    await Promise.all([this.blocklists.reload(), this.articles.reload()]);
    return this.status();
  }

  status(): InvestigatorStatus {
    const a = this.articles;
    return {
      blocklists: this.blocklists.describe(),
      articles: { ...a.status, files: a.value.articles.length, entities: a.value.entities },
    };
  }

  blocklistHits(key: string): BlocklistHit[] {
    return this.blocklists.value.lookup(key);
  }

  /**
   * Who is behind an address or a device: DHCP leases, logons and firewall user mappings, each name with
   * when it was last seen up to the range's end. An address changes hands, so the holder at the time
   * asked about comes first: the device of the latest lease (without DHCP, the latest logon) and what
   * was seen since that lease began; names seen only before it are an earlier holder's, listed after
   * and marked `earlier` (see identityOf).
   */
  identity(key: string, range: TimeRange): Identity {
    // from the start of that day: a range of whole days is answered by the relation index's day roll-ups
    const wide: TimeRange = { from: range.from === null ? null : Math.floor((range.from - IDENTITY_LOOKBACK_MS) / DAY_MS) * DAY_MS, to: range.to };
    const users = new Map<string, Seen>();
    const hosts = new Map<string, Seen>();
    const macs = new Map<string, Seen>();
    const fromDevice = (mac: string): void => {
      for (const e of this.relations.edges(mac, wide, { direction: 'out', kinds: ['login', 'hostname'] })) {
        see(e.kind === 'hostname' ? hosts : users, splitKey(e.other).value, e);
      }
    };
    if (key.startsWith('mac:')) {
      fromDevice(key);
      return identityOf(new Map([[key.slice(4), null]]), users, hosts, this.tenureStart(key, ['login'], users, wide));
    }
    for (const e of this.relations.edges(key, wide, { direction: 'out', kinds: ['login', 'user', 'lease'] })) {
      see(e.kind === 'lease' ? macs : users, splitKey(e.other).value, e);
    }
    for (const mac of latest(macs, 3)) fromDevice('mac:' + mac);
    const since = macs.size > 0 ? this.tenureStart(key, ['lease'], macs, wide) : this.tenureStart(key, ['login', 'user'], users, wide);
    return identityOf(macs, users, hosts, since);
  }

  /**
   * When the current holder's tenure began: the latest `anchor` name (the leases, or the logons where
   * there is no DHCP) holds it since its first sighting after the last time another name was seen, so
   * that a lease that went A → B → A starts A's tenure at its return, not at its first lease of the
   * look-back. Undefined when nothing was seen.
   */
  private tenureStart(key: string, kinds: string[], anchor: Map<string, Seen>, wide: TimeRange): number | undefined {
    const current = latest(anchor, 1)[0];
    if (current === undefined) return undefined;
    const mine = anchor.get(current)!;
    let boundary = -Infinity;
    for (const [name, s] of anchor) if (name !== current && s.last > boundary) boundary = s.last;
    if (boundary === -Infinity) return mine.first;
    let since = mine.last;
    for (const e of this.relations.edges(key, { from: boundary + 1, to: wide.to }, { direction: 'out', kinds })) {
      if (splitKey(e.other).value === current) since = Math.min(since, e.seen?.first ?? e.first);
    }
    return since;
  }

  /** The addresses that reached an entity (clients.ts): what an operator asks first of a URL finding. */
  clients(entityText: string, range: TimeRange, limit = 5): ClientsResult {
    return findClients({ relations: this.relations, identity: (ip, r) => this.identity(ip, r), now: () => this.now(), clock: this.clock }, entityText, range, limit);
  }

  pivot(entityText: string, range: TimeRange, limit = 50): PivotResult {
    const started = performance.now();
    const deadline = new Deadline(PIVOT_TIME_BUDGET_MS, this.clock);
    const entity = parseEntity(entityText);
    const end = range.to ?? this.now();
    const groups = new Map<string, { relation: string; direction: 'out' | 'in'; edges: EdgeSummary[]; readFrom?: number }>();
    const group = (direction: 'out' | 'in', kind: string): { relation: string; direction: 'out' | 'in'; edges: EdgeSummary[]; readFrom?: number } => {
      const key = direction + ' ' + kind;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { relation: kind, direction, edges: [] }));
      return g;
    };
    const into = edgesIn(this.relations, entity.key, range, KIND_ORDER, end, deadline);
    const outOf = edgesOut(this.relations, entity.key, range, KIND_ORDER, end, deadline);
    for (const e of [...outOf.edges, ...into.edges]) group(e.direction, e.kind).edges.push(e);
    for (const [kind, from] of into.partial) group('in', kind).readFrom = from;
    for (const [kind, from] of outOf.partial) group('out', kind).readFrom = from;
    // an account (`user:alice`) is also the person behind its qualified names (`corp\alice`): their
    // edges join the pivot, each saying which name it came through
    const via = new Map<EdgeSummary, string>();
    if (entity.type === 'user' && bareUser(entity.value) === null) {
      const aliases = outOf.edges.filter((e) => e.kind === 'alias').sort((a, b) => b.count - a.count || (a.other < b.other ? -1 : 1));
      for (const alias of aliases.slice(0, MAX_ALIASES)) {
        const aIn = edgesIn(this.relations, alias.other, range, ALIAS_KINDS, end, deadline);
        const aOut = edgesOut(this.relations, alias.other, range, ALIAS_KINDS, end, deadline);
        for (const e of [...aOut.edges, ...aIn.edges]) {
          via.set(e, alias.other);
          group(e.direction, e.kind).edges.push(e);
        }
        for (const [kind, from] of aIn.partial) group('in', kind).readFrom = Math.max(from, group('in', kind).readFrom ?? from);
        for (const [kind, from] of aOut.partial) group('out', kind).readFrom = Math.max(from, group('out', kind).readFrom ?? from);
      }
    }
    let identities = 0;
    const out: PivotGroup[] = [];
    const ordered = [...groups.values()].sort((a, b) => kindRank(a.relation) - kindRank(b.relation) || (a.direction === 'out' ? -1 : 1));
    for (const g of ordered) {
      g.edges.sort((a, b) => byLines(a, b) || b.last - a.last || (a.other < b.other ? -1 : 1));
      const neighbours: Neighbour[] = g.edges.slice(0, limit).map((e) => {
        const n: Neighbour = {
          entity: e.other,
          count: e.count,
          first: e.first,
          last: e.last,
          blocklist: this.blocklistHits(e.other),
          articles: this.articles.value.lookup(e.other).length,
          evidence: evidenceOf(via.get(e) ?? entity.key, e),
        };
        if (e.countMax !== undefined) n.countMax = e.countMax;
        const through = via.get(e);
        if (through !== undefined) n.via = through;
        if (e.other.startsWith('ip:') && isInternalIp(e.other.slice(3))) {
          if (identities < MAX_IDENTITIES && !deadline.spent()) {
            identities++;
            n.identity = this.identity(e.other, range);
          } else n.identityOmitted = true;
        }
        return n;
      });
      const pg: PivotGroup = { relation: g.relation, direction: g.direction, total: g.edges.length, neighbours };
      if (g.readFrom !== undefined) {
        pg.truncated = true;
        pg.readFrom = g.readFrom;
      }
      out.push(pg);
    }
    const files = this.relations.files(range);
    const own = entity.type === 'mac' || (entity.type === 'ip' && isInternalIp(entity.value)) ? this.identity(entity.key, range) : null;
    const result: PivotResult = {
      entity: entity.key,
      from: range.from,
      to: range.to,
      blocklist: this.blocklistHits(entity.key),
      articles: this.articles.value.lookup(entity.key),
      identity: own,
      groups: out,
      truncated: into.partial.size > 0 || outOf.partial.size > 0,
      periods: files.length,
      tookMs: performance.now() - started,
    };
    // a count the range cuts a period for: the range over which the same pivot counts exactly. A range
    // that cuts the hour holding now widens to an open end (up to now), not to that hour's end: the end
    // would name a time to come, and an open end counts every line of the hour so far, exactly
    if (out.some((g) => g.neighbours.some((n) => n.countMax !== undefined))) {
      const exact = wholePeriods(range, files);
      if (exact.to !== null && exact.to > this.now()) exact.to = null;
      result.exactRange = exact;
    }
    if (deadline.timedOut) result.timedOut = true;
    return result;
  }

  scope(entityText: string, range: TimeRange, limit = 50): ScopeResult {
    const started = performance.now();
    const deadline = new Deadline(PIVOT_TIME_BUDGET_MS, this.clock);
    const entity = parseEntity(entityText);
    const read = edgesOut(this.relations, entity.key, range, [...SCOPE_KINDS_IP, ...SCOPE_KINDS_DOMAIN], range.to ?? this.now(), deadline, SCOPE_ROW_BUDGET);
    // one destination may be reached by several kinds (flow and alert): examine it once
    const reached = new Map<string, { count: number; last: number; blocklisted: boolean }>();
    for (const e of read.edges) {
      if (!e.other.startsWith('ip:') && !e.other.startsWith('domain:')) continue;
      const r = reached.get(e.other);
      if (r === undefined) reached.set(e.other, { count: e.count, last: e.last, blocklisted: this.blocklistHits(e.other).length > 0 });
      else {
        r.count += e.count;
        r.last = Math.max(r.last, e.last);
      }
    }
    // blocklisted destinations first, then the most reached: what is left past the cap is not examined
    const names = [...reached.entries()]
      .sort(([a, x], [b, y]) => Number(y.blocklisted) - Number(x.blocklisted) || y.count - x.count || y.last - x.last || (a < b ? -1 : 1))
      .map(([d]) => d);
    const kindsOf = (d: string): string[] => (d.startsWith('domain:') ? SCOPE_KINDS_DOMAIN : SCOPE_KINDS_IP);
    // edges into each destination, from the index alone: ≥ its distinct sources, ≤ that × files (× 2 for
    // a name, which a source may both query and request)
    const capOf = (d: string): number => (d.startsWith('domain:') ? SCOPE_FANIN_CAP * SCOPE_KINDS_DOMAIN.length : SCOPE_FANIN_CAP);
    const files = Math.max(1, this.relations.files(range).length);
    const { estimate, examined } = this.fanIns(names.slice(0, SCOPE_MAX_DESTINATIONS), range, files, deadline);
    let common = 0;
    let skipped = 0;
    let budget = SCOPE_ROW_BUDGET;
    const chosen: string[] = [];
    const blocked: string[] = [];
    // blocklisted destinations first (their sources are the answer), then the rarest
    const bl = (d: string): number => (reached.get(d)?.blocklisted === true ? 1 : 0);
    for (const d of examined.sort((a, b) => bl(b) - bl(a) || (estimate.get(a) ?? 0) - (estimate.get(b) ?? 0))) {
      const est = estimate.get(d) ?? 0;
      if (est <= 1) continue; // the host alone
      // a blocklisted destination is never too common to tell: the hosts that reached it are the answer
      // (read apart below, at most SCOPE_BLOCKLISTED_SOURCES of them)
      if (bl(d) === 1) blocked.push(d);
      else if (est > capOf(d) * files) common++;
      else if (est > budget) skipped++;
      else {
        chosen.push(d);
        budget -= est;
      }
    }
    const sources = new Map([
      ...this.relations.sourcesOf(chosen.filter((d) => kindsOf(d) === SCOPE_KINDS_DOMAIN), SCOPE_KINDS_DOMAIN, range),
      ...this.relations.sourcesOf(chosen.filter((d) => kindsOf(d) === SCOPE_KINDS_IP), SCOPE_KINDS_IP, range),
      ...blocked.map((d) => [d, this.relations.sourcesOfOne?.(d, kindsOf(d), range, SCOPE_BLOCKLISTED_SOURCES) ?? this.relations.sourcesOf([d], kindsOf(d), range).get(d) ?? new Set<string>()] as const),
    ]);
    const hosts = new Map<string, { score: number; dests: { entity: string; sources: number; blocklisted: boolean }[] }>();
    for (const [dest, srcs] of sources) {
      const blocklisted = reached.get(dest)?.blocklisted ?? false;
      if (srcs.size > SCOPE_FANIN_CAP && !blocklisted) {
        common++;
        continue;
      }
      const weight = Math.log2(1 + SCOPE_FANIN_CAP / Math.max(1, srcs.size));
      for (const src of srcs) {
        if (src === entity.key || !src.startsWith('ip:')) continue;
        let h = hosts.get(src);
        if (h === undefined) hosts.set(src, (h = { score: 0, dests: [] }));
        h.score += weight;
        h.dests.push({ entity: dest, sources: srcs.size, blocklisted });
      }
    }
    // a host that reached a blocklisted destination too is the likeliest to share the compromise, however
    // few other places it shares: first, whatever coworkers sharing a hundred ordinary sites score
    const flagged = (h: { dests: { blocklisted: boolean }[] }): number => h.dests.filter((d) => d.blocklisted).length;
    const ranked = [...hosts.entries()]
      .sort((a, b) => flagged(b[1]) - flagged(a[1]) || b[1].score - a[1].score || b[1].dests.length - a[1].dests.length || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit);
    let identities = 0;
    const result: ScopeHost[] = ranked.map(([src, h]) => {
      const inside = isInternalIp(src.slice(3));
      const internal = inside && identities < MAX_IDENTITIES && !deadline.spent();
      if (internal) identities++;
      const bad = h.dests.filter((d) => d.blocklisted);
      return {
        entity: src,
        score: Math.round(h.score * 1000) / 1000,
        shared: h.dests.length,
        sharedBlocklisted: bad.length,
        why:
          bad.length > 0
            ? `reached blocklisted ${bad.slice(0, 3).map((d) => d.entity).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''} too: ranked before hosts that share no blocklisted destination`
            : `shares ${h.dests.length} destination${h.dests.length === 1 ? '' : 's'}, no blocklisted one: ranked by score`,
        destinations: h.dests.sort((a, b) => Number(b.blocklisted) - Number(a.blocklisted) || a.sources - b.sources).slice(0, 10),
        identity: internal ? this.identity(src, range) : null,
        identityOmitted: inside && !internal,
      };
    });
    const answer: ScopeResult = {
      entity: entity.key,
      from: range.from,
      to: range.to,
      destinations: names.length,
      common,
      skipped,
      unexamined: names.length - examined.length,
      totalHosts: hosts.size,
      hosts: result,
      tookMs: performance.now() - started,
    };
    // every relation was read at least from the latest start among those read in part
    if (read.partial.size > 0) answer.readFrom = Math.max(...read.partial.values());
    if (deadline.timedOut) answer.timedOut = true;
    return answer;
  }

  /**
   * How many edges point at each destination (RelationIndex.fanIn), in reads of at most
   * SCOPE_SEEKS_PER_READ index seeks, in the order given, until the time budget is spent.
   */
  private fanIns(dests: readonly string[], range: TimeRange, files: number, deadline: Deadline): { estimate: Map<string, number>; examined: string[] } {
    const estimate = new Map<string, number>();
    const examined: string[] = [];
    const step = Math.max(16, Math.floor(SCOPE_SEEKS_PER_READ / files));
    for (let i = 0; i < dests.length && !deadline.spent(); i += step) {
      const part = dests.slice(i, i + step);
      const domains = part.filter((d) => d.startsWith('domain:'));
      const addresses = part.filter((d) => !d.startsWith('domain:'));
      if (domains.length > 0) for (const [d, n] of this.relations.fanIn(domains, SCOPE_KINDS_DOMAIN, range, SCOPE_FANIN_CAP * SCOPE_KINDS_DOMAIN.length)) estimate.set(d, n);
      if (addresses.length > 0) for (const [d, n] of this.relations.fanIn(addresses, SCOPE_KINDS_IP, range, SCOPE_FANIN_CAP)) estimate.set(d, n);
      examined.push(...part);
    }
    return { estimate, examined };
  }

  close(): void {
    this.blocklists.close();
    this.articles.close();
  }
}

/** when a name was first and last seen behind an address or device (merged over its edges) */
interface Seen {
  first: number;
  last: number;
}

/**
 * A name's sightings: the times its lines are known at (`seen` where the range cut an hour and
 * `first`/`last` are only bounds: a bound is no time anyone was seen); none when no line is known inside.
 */
function see(m: Map<string, Seen>, name: string, e: EdgeSummary): void {
  if (e.count === 0) return;
  const first = e.seen?.first ?? e.first;
  const last = e.seen?.last ?? e.last;
  const s = m.get(name);
  if (s === undefined) m.set(name, { first, last });
  else {
    s.first = Math.min(s.first, first);
    s.last = Math.max(s.last, last);
  }
}

/** the names seen latest first (ties by name) */
function latest(m: Map<string, Seen | null>, n: number): string[] {
  return [...m.entries()]
    .sort((a, b) => (b[1]?.last ?? Infinity) - (a[1]?.last ?? Infinity) || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([k]) => k);
}

/**
 * The identity from what was seen. The current holder's tenure began at `since` (tenureStart); a name
 * last seen before then is an earlier holder's: listed after the others, marked.
 */
function identityOf(macs: Map<string, Seen | null>, users: Map<string, Seen>, hosts: Map<string, Seen>, since: number | undefined): Identity {
  const seen: IdentityName[] = [];
  const list = (kind: IdentityName['kind'], m: Map<string, Seen | null>, n: number): string[] => {
    const names = latest(m, Infinity);
    const earlier = (k: string): boolean => since !== undefined && (m.get(k)?.last ?? Infinity) < since;
    const ordered = [...names.filter((k) => !earlier(k)), ...names.filter(earlier)].slice(0, n);
    for (const name of ordered) {
      const s = m.get(name);
      if (s === undefined || s === null) continue;
      const entry: IdentityName = { kind, name, first: s.first, last: s.last };
      if (earlier(name)) entry.earlier = true;
      seen.push(entry);
    }
    return ordered;
  };
  const id: Identity = { macs: list('mac', macs, 5), users: list('user', users, 10), hosts: list('host', hosts, 5) };
  if (seen.length > 0) id.seen = seen;
  if (since !== undefined) id.since = since;
  return id;
}

/** A search for the lines behind one edge: both entities, in the edge's time bounds. */
export function evidenceOf(entity: string, e: EdgeSummary): Evidence {
  const [a, b] = e.direction === 'out' ? [entity, e.other] : [e.other, entity];
  return { q: `${searchTerm(a)} ${searchTerm(b)}`, from: e.first, to: e.last + 1 };
}
