/**
 * Who is behind an address, as the Alerts and Investigate pages say it: the holder at the time asked
 * about first (the server orders its names so), and names only an earlier holder had (`seen[].earlier`:
 * the lease changed hands) apart, after "before:", so that two people are never read as one (review of
 * session 31: "10.0.7.7 (olduser, newuser, ws-old)").
 */
import type { ApiIdentity } from '../../../src/serve/api.ts';
import { peopleOnce } from '../../../src/investigate/people-once.ts';
import { formatUtc } from './format.ts';

export type IdentityKind = 'mac' | 'user' | 'host';

/** A name behind an address, with when it was seen (absent from an older server). */
export interface HeldName {
  name: string;
  first?: number;
  last?: number;
  /** only an earlier holder of the address had it */
  earlier: boolean;
}

/** The names of one kind, the current holder's and an earlier holder's apart, each in the server's order. */
export interface Holders {
  now: HeldName[];
  before: HeldName[];
}

const listOf = (identity: ApiIdentity, kind: IdentityKind): string[] => (kind === 'mac' ? identity.macs : kind === 'user' ? identity.users : identity.hosts);

/** The names of one kind behind an address, split into the current holder's and an earlier one's. */
export function holders(identity: ApiIdentity, kind: IdentityKind): Holders {
  const seen = new Map((identity.seen ?? []).filter((s) => s.kind === kind).map((s) => [s.name, s]));
  const names = kind === 'user' ? peopleOnce(identity.users) : listOf(identity, kind);
  const out: Holders = { now: [], before: [] };
  for (const name of names) {
    const s = seen.get(name);
    const held: HeldName = s === undefined ? { name, earlier: false } : { name, first: s.first, last: s.last, earlier: s.earlier === true };
    (held.earlier ? out.before : out.now).push(held);
  }
  return out;
}

/** A name's tooltip: when it was last seen behind the address, and whether an earlier holder had it; '' when not known. */
export function heldTitle(n: HeldName): string {
  if (n.last === undefined) return n.earlier ? 'an earlier holder of this address' : '';
  const seen = n.first !== undefined && n.first !== n.last ? `seen ${formatUtc(n.first)} to ${formatUtc(n.last)}` : `last seen ${formatUtc(n.last)}`;
  return n.earlier ? `an earlier holder of this address: ${seen}` : seen;
}

/**
 * Users and host names behind an address on one line, "newuser, ws-new; before: olduser, ws-old": at
 * most three of the current holder's and two of an earlier one's. '' when there is none.
 */
export function behind(identity: ApiIdentity | null): string {
  if (identity === null) return '';
  const users = holders(identity, 'user');
  const hosts = holders(identity, 'host');
  const now = [...users.now, ...hosts.now].slice(0, 3).map((n) => n.name);
  const before = [...users.before, ...hosts.before].slice(0, 2).map((n) => n.name);
  return [now.join(', '), before.length > 0 ? `before: ${before.join(', ')}` : ''].filter((x) => x !== '').join('; ');
}
