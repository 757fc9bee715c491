/**
 * Squid's native access.log (`logformat squid`), alone or after a syslog header, with or without its
 * leading time and duration (a syslog header carries the time):
 * `1700000000.123    245 10.0.2.57 TCP_MISS/200 1234 GET http://host/path alice HIER_DIRECT/203.0.113.80 text/html`.
 * The client asked for the URL's host (`request`), and the user column (ident or proxy login, `-` when
 * none) maps the client to a user (`user`). The result code says nothing of whether the page was bad.
 */
import { addRelation, addServedAt, ipEntity, urlRequestTarget, userEntity, type Relation } from './types.js';

/** Squid's hierarchy code when it went to the origin server: `HIER_DIRECT/203.0.113.80`. */
const HIER_DIRECT = / HIER_DIRECT\/([0-9a-fA-F.:]+)(?: |$)/;

export const SQUID = /^(?:\d{9,10}\.\d{3} +\d+ +)?(\S+) (?:[A-Z]+_)*[A-Z]+\/\d{3} \d+ [A-Z]{3,12} (\S+) (\S+)(?: |$)/;

export function squid(text: string, out: Relation[]): boolean {
  const m = SQUID.exec(text);
  if (m === null) return false;
  const client = ipEntity(m[1]);
  if (client === null) return false;
  // a URL on a bare address is a request for that address: a proxy line writes no flow beside it
  addRelation(out, 'request', client, urlRequestTarget(m[2]));
  // fetched from the server itself (not through a parent proxy): the name was served at that address
  const direct = HIER_DIRECT.exec(text);
  if (direct !== null) addServedAt(out, m[2], ipEntity(direct[1]));
  addRelation(out, 'user', client, userEntity(decodeUser(m[3]!)));
  return true;
}

/** The `user:…` that `squid` maps the client of `text` to, or null: for the entity index (entities/user.ts). */
export function squidUser(text: string): string | null {
  const m = SQUID.exec(text);
  return m === null || ipEntity(m[1]) === null ? null : userEntity(decodeUser(m[3]!));
}

/** Squid writes the user name URL-encoded (`corp%5Calice`); a bad escape, or one that decodes to a control character, is kept as written. */
function decodeUser(u: string): string {
  try {
    const d = decodeURIComponent(u);
    return /[\u0000-\u001f\u007f]/.test(d) ? u : d;
  } catch {
    return u;
  }
}
