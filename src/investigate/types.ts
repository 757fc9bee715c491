/** What pivots and scope-of-impact answers look like (the HTTP API sends these as they are). */
import type { ArticleRef } from './articles.js';
import type { BlocklistHit } from './blocklist.js';

/** A search that shows the lines behind an edge: the query and the event-time range [from, to) in ms. */
export interface Evidence {
  q: string;
  from: number;
  to: number;
}

/** A name behind an address or device, with when it was seen (ms; `last` at most the range's end). */
export interface IdentityName {
  kind: 'mac' | 'user' | 'host';
  name: string;
  first: number;
  last: number;
  /** last seen before the current holder's lease (or logon) began: an earlier holder's */
  earlier?: true;
}

/**
 * Who is behind an address or device. Each list has the current holder's names first (the device of
 * the latest lease at or before the range's end, or the latest logon without DHCP), latest seen first,
 * then an earlier holder's (see `seen`).
 */
export interface Identity {
  /** devices that held the address (DHCP) */
  macs: string[];
  /** users who logged on from the address or device, or that a firewall mapped to it */
  users: string[];
  /** names the devices gave (DHCP) */
  hosts: string[];
  /** the names of the lists with when each was first and last seen in the look-back, and which are an earlier holder's */
  seen?: IdentityName[];
  /** when the current holder's lease (or logon) was first seen in the look-back: names last seen before are `earlier` */
  since?: number;
}

export interface Neighbour {
  entity: string;
  /** lines in the range for sure (see `countMax`) */
  count: number;
  /**
   * set when the range cuts an hour of the relation index (which keeps per hour only an edge's first and
   * last time and its count) and lines between those may lie in the range: up to this many do. `first`
   * and `last` are then where such lines may lie, inside the range; the evidence search counts them exactly.
   */
  countMax?: number;
  first: number;
  last: number;
  blocklist: BlocklistHit[];
  /** how many articles mention it */
  articles: number;
  /** who is behind it, for addresses of the network itself */
  identity?: Identity;
  /** an address of the network itself whose identity was not looked up (past the lookups an answer makes) */
  identityOmitted?: true;
  /** for a pivot on an account: the qualified name the edge is from (`user:corp\alice` of `user:alice`); absent when it is the entity's own */
  via?: string;
  evidence: Evidence;
}

export interface PivotGroup {
  relation: string;
  /** `out`: entity → neighbour; `in`: neighbour → entity */
  direction: 'out' | 'in';
  /** neighbours in the group (the list holds the `limit` most frequent); when truncated, those seen since `readFrom` */
  total: number;
  neighbours: Neighbour[];
  /**
   * true when the group's edges were over what was left of the row budget (PIVOT_ROW_BUDGET) or the time
   * budget (PIVOT_TIME_BUDGET_MS): only the edges seen from `readFrom` to the end of the range were read
   * (none when `readFrom` is the end). Edges out of the entity are read newest first, all relations
   * together, so every `out` group of a cut answer has the same `readFrom`.
   */
  truncated?: boolean;
  readFrom?: number;
}

export interface PivotResult {
  entity: string;
  from: number | null;
  to: number | null;
  blocklist: BlocklistHit[];
  articles: ArticleRef[];
  identity: Identity | null;
  groups: PivotGroup[];
  /** a group was read in part for lack of row budget (see PivotGroup.truncated) */
  truncated?: boolean;
  /**
   * the question stopped at its time budget (PIVOT_TIME_BUDGET_MS): relations not read by then are
   * missing or cut (`truncated`), and internal neighbours past it say `identityOmitted`
   */
  timedOut?: true;
  /** relation files read */
  periods: number;
  /**
   * set when a count is ranged (`countMax`): the range widened to the bounds of the relation files it
   * cuts, over which the same pivot counts every line exactly (an open end stays null; an end past now,
   * the range cutting the current hour, is null too: up to now, whose last hour's counts still grow)
   */
  exactRange?: { from: number | null; to: number | null };
  tookMs: number;
}

export interface SharedDestination {
  entity: string;
  /** how many sources reached it in the range (rarer is more telling) */
  sources: number;
  blocklisted: boolean;
}

export interface ScopeHost {
  entity: string;
  /** Σ over shared destinations of log2(1 + cap / sources): many and rare shared destinations rank first */
  score: number;
  shared: number;
  sharedBlocklisted: number;
  /** why it ranks where it does: hosts that reached a blocklisted destination of the entity come first, then by score */
  why?: string;
  /** the rarest shared destinations first (at most 10) */
  destinations: SharedDestination[];
  /** who is behind it; null for an outside address, or when `identityOmitted` */
  identity: Identity | null;
  /** an address of the network itself whose identity was not looked up (past the lookups an answer makes) */
  identityOmitted: boolean;
}

export interface ScopeResult {
  entity: string;
  from: number | null;
  to: number | null;
  /** destinations of the entity (addresses it reached, names it queried) */
  destinations: number;
  /** destinations left out because more than 100 sources reach them (a resolver, a CDN) */
  common: number;
  /** destinations not read for lack of budget (the commonest of the rest; see SCOPE_ROW_BUDGET) */
  skipped: number;
  /**
   * destinations whose sources were not even counted: past the SCOPE_MAX_DESTINATIONS most reached
   * (blocklisted ones first), or left when the time budget ran out (`timedOut`)
   */
  unexamined: number;
  /** set when the entity's destinations were read from here to the end of the range only (row or time budget) */
  readFrom?: number;
  /** the question stopped at its time budget: see `unexamined`, `readFrom` and `identityOmitted` */
  timedOut?: true;
  /** hosts that share a destination, before the cut to `limit` */
  totalHosts: number;
  hosts: ScopeHost[];
  tookMs: number;
}

/** One address that reached an entity: asked for a name, or connected to an address. */
export interface Client {
  entity: string;
  /** edges into the entity from it over the range (requests, queries or connections, as counted per period): `requests + connections + lookups` */
  count: number;
  /** of `count`, HTTP/TLS requests for the host (proxy, URL-filter, HTTP and TLS logs: `request`) */
  requests: number;
  /** of `count`, connections to the address (`flow`, `blocked`); 0 for a name */
  connections: number;
  /** of `count`, DNS lookups of the name (`query`): the client resolved it, which is not a visit; 0 for an address */
  lookups: number;
  last: number;
  /** who is behind it, for addresses of the network itself */
  identity: Identity | null;
  /**
   * for a name: the addresses it resolved to that this client connected to (counted in `connections`);
   * absent when it reached the name itself only (a lookup, a request)
   */
  via?: string[];
}

export interface ClientsResult {
  /** the entity looked at: a URL's host, a domain or an address */
  entity: string;
  /** how many distinct addresses reached it in the range */
  total: number;
  /** the most frequent first */
  clients: Client[];
  /**
   * a popular entity: more edges into it than a question's row budget, so the clients (and `total`)
   * are those seen from `readFrom` to the end of the range
   */
  truncated?: true;
  readFrom?: number;
  /** for a name: the addresses it resolved to in the range whose connections were counted (few names share each) */
  addresses?: string[];
  /** for a name: addresses it resolved to that many names share (a CDN, a hosting provider): their clients are not counted */
  sharedAddresses?: string[];
  /** the question's time budget ran out: some relations were not read */
  timedOut?: true;
}

/**
 * Who a finding concerns: for a finding on something clients ask for (a URL's host), the addresses
 * that asked for it; for a finding on one of the network's own addresses, who is behind it.
 */
export interface FindingWho extends ClientsResult {
  identity: Identity | null;
}
