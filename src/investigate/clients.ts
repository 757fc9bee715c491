/**
 * The addresses that reached an entity, what an operator asks first of a URL finding. For a name (a
 * URL's host, a domain): those that asked for it (`request`, `query`), and those that connected to an
 * address the name resolved to in the range (`flow`, `blocked` into it) without a request for it in the
 * logs (a lookup alone is not a visit; the connection is), or without even a lookup: malware with the address cached or written in, DNS over HTTPS, a resolver
 * whose log is not collected. For an address: those that asked a proxy for it or connected to it.
 *
 * Only an address few names resolve to counts for a name (VIA_NAMES_MAX, the name included): a CDN's or
 * a shared host's address is reached by the clients of every site on it, and their connections say
 * nothing of this one. Such addresses are named in `sharedAddresses`, their clients left out.
 */
import type { TimeRange } from '../core/index.js';
import { Deadline, edgesIn, MAX_IDENTITIES, PIVOT_TIME_BUDGET_MS, type RelationSource } from './edge-read.js';
import { isInternalIp, parseEntity } from './entity.js';
import type { Client, ClientsResult, Identity } from './types.js';

const KINDS_DOMAIN = ['query', 'request'];
const KINDS_IP = ['request', 'flow', 'blocked'];
const KINDS_CONNECT = ['flow', 'blocked'];
/** the addresses of a name looked at (most seen first); a name with more is a fast-flux or a CDN's */
export const VIA_ADDRESSES_MAX = 8;
/** an address that more names than this resolve to is shared (a CDN, a hosting provider) */
export const VIA_NAMES_MAX = 3;

export interface ClientsDeps {
  relations: RelationSource;
  identity(ip: string, range: TimeRange): Identity | null;
  /** ends a range without `to` */
  now(): number;
  clock: () => number;
}

interface Tally {
  count: number;
  last: number;
  requests: number;
  connections: number;
  lookups: number;
  via: Set<string>;
}

/**
 * The addresses a name resolved to in the range that few names share, and those many do: read from the
 * name's `resolve` edges, then each address's own `resolve` edges in (up to VIA_NAMES_MAX + 1 names).
 */
function addressesOf(deps: ClientsDeps, name: string, range: TimeRange, deadline: Deadline): { own: string[]; shared: string[] } {
  const own: string[] = [];
  const shared: string[] = [];
  if (deadline.spent()) return { own, shared };
  const answers = deps.relations
    .edges(name, range, { direction: 'out', kinds: ['resolve'] })
    .filter((e) => e.kind === 'resolve' && e.direction === 'out' && e.other.startsWith('ip:'))
    .sort((a, b) => b.count - a.count || b.last - a.last)
    .slice(0, VIA_ADDRESSES_MAX);
  for (const a of answers) {
    if (deadline.spent()) break;
    const names = deps.relations.sourcesOfOne?.(a.other, ['resolve'], range, VIA_NAMES_MAX + 1) ?? deps.relations.sourcesOf([a.other], ['resolve'], range).get(a.other) ?? new Set();
    (names.size > VIA_NAMES_MAX ? shared : own).push(a.other);
  }
  return { own, shared };
}

export function findClients(deps: ClientsDeps, entityText: string, range: TimeRange, limit = 5): ClientsResult {
  const entity = parseEntity(entityText);
  const isName = entity.key.startsWith('domain:');
  const end = range.to ?? deps.now();
  const deadline = new Deadline(PIVOT_TIME_BUDGET_MS, deps.clock);
  // a name everyone resolves, or a server everyone reaches: counted first, the latest part read when over budget
  const into = edgesIn(deps.relations, entity.key, range, isName ? KINDS_DOMAIN : KINDS_IP, end, deadline);
  const by = new Map<string, Tally>();
  const tally = (ip: string, last: number): Tally => {
    let c = by.get(ip);
    if (c === undefined) by.set(ip, (c = { count: 0, last, requests: 0, connections: 0, lookups: 0, via: new Set() }));
    c.last = Math.max(c.last, last);
    return c;
  };
  for (const e of into.edges) {
    if (!e.other.startsWith('ip:')) continue;
    const c = tally(e.other, e.last);
    c.count += e.count;
    if (e.kind === 'query') c.lookups += e.count;
    else if (e.kind === 'request') c.requests += e.count;
    else c.connections += e.count;
  }
  const partial = [...into.partial.values()];
  const addresses = isName ? addressesOf(deps, entity.key, range, deadline) : { own: [], shared: [] };
  for (const address of addresses.own) {
    if (deadline.spent()) break;
    const conn = edgesIn(deps.relations, address, range, KINDS_CONNECT, end, deadline);
    partial.push(...conn.partial.values());
    for (const e of conn.edges) {
      if (!e.other.startsWith('ip:') || e.other === address) continue;
      // a client that requested the name: its connections to the address are those requests again (a
      // firewall's URL log is a flow too); one that only looked it up, or nothing, did connect
      if ((by.get(e.other)?.requests ?? 0) > 0) continue;
      const c = tally(e.other, e.last);
      c.count += e.count;
      c.connections += e.count;
      c.via.add(address);
    }
  }
  const visited = (c: Tally): number => (c.requests + c.connections > 0 ? 1 : 0);
  const top = [...by.entries()]
    .sort((a, b) => visited(b[1]) - visited(a[1]) || b[1].count - a[1].count || b[1].last - a[1].last || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.min(limit, MAX_IDENTITIES));
  const clients: Client[] = top.map(([ip, c]) => ({
    entity: ip,
    count: c.count,
    requests: c.requests,
    connections: c.connections,
    lookups: c.lookups,
    last: c.last,
    identity: isInternalIp(ip.slice(3)) ? deps.identity(ip, range) : null,
    ...(c.via.size > 0 ? { via: [...c.via].sort() } : {}),
  }));
  const result: ClientsResult = { entity: entity.key, total: by.size, clients };
  if (addresses.own.length > 0) result.addresses = addresses.own;
  if (addresses.shared.length > 0) result.sharedAddresses = addresses.shared;
  // every kind was read at least from the latest start among those read in part
  if (partial.length > 0) Object.assign(result, { truncated: true, readFrom: Math.max(...partial) });
  if (deadline.timedOut) result.timedOut = true;
  return result;
}
