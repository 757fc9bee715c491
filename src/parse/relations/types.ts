/** Relation edges between typed entities (`ip:10.0.0.5`, `domain:evil.example`, `mac:aa:bb:..`, `user:alice`). */
import { bareUser, mappedIPv4, parseIp } from '../../core/index.js';

/**
 * What an edge says, read from → to:
 * - `flow`: a connection was allowed or seen (ip → ip); `blocked`: a firewall dropped or rejected it (ip → ip)
 * - `service`: a flow reached this port of the destination (ip → port)
 * - `query`: a client asked for a name (ip → domain); `resolve`: a name answered with an address (domain → ip)
 * - `request`: a client asked for a web page or a TLS session by name (ip → domain): URL-filter and proxy
 *   logs, HTTP records, TLS server names; whether it was let through is the `flow`/`blocked` edge beside it
 * - `lease`: DHCP gave an address to a device (ip → mac); `hostname`: the name a device gave (mac → host)
 * - `login` / `login_failed`: an authentication from an address or device (ip|mac → user);
 *   `user`: a firewall's user mapping (ip → user)
 * - `alert`: an IDS or threat log fired (ip → ip, and ip → sig)
 * - `alias`: a qualified user's account name, written beside each `login`, `login_failed` or `user` edge
 *   that names one (user → user: `user:alice` → `user:corp\alice`), so a pivot on the person finds the
 *   domain's logons too
 */
export const RELATION_KINDS = ['flow', 'blocked', 'service', 'query', 'request', 'resolve', 'lease', 'hostname', 'login', 'login_failed', 'user', 'alert', 'alias'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/** Entity types an edge connects; each entity is written `type:value`. */
export const RELATION_ENTITY_TYPES = ['ip', 'domain', 'mac', 'user', 'port', 'host', 'sig'] as const;
export type RelationEntityType = (typeof RELATION_ENTITY_TYPES)[number];

export interface Relation {
  kind: RelationKind;
  /** `type:value`, normalized */
  from: string;
  to: string;
}

/** Whether `v` is a canonical dotted quad (no leading zeros), without a regex: this runs on every flow line. */
export function isCanonicalV4(v: string): boolean {
  let n = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 255 || octets === 4) return false;
      octets++;
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && n === 0) return false;
      n = n * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return octets === 4;
}

/**
 * `ip:<canonical>` or null; an IPv4-mapped address (`::ffff:10.0.0.5` from a dual-stack socket, however
 * written) is the IPv4 address it maps, so its edges meet those of the plain address in one pivot.
 */
export function ipEntity(text: string | undefined): string | null {
  if (text === undefined || text === '' || text === '-') return null;
  if (isCanonicalV4(text)) return 'ip:' + text;
  const ip = parseIp(text);
  return ip === null ? null : 'ip:' + (mappedIPv4(ip) ?? ip.text);
}

const HEX12 = /^[0-9a-f]{12}$/;

/** A MAC as `aa:bb:cc:dd:ee:ff` from colon, hyphen, Cisco dotted or bare hex forms; null otherwise (or all zeros). */
export function normalizeMac(text: string | undefined): string | null {
  if (text === undefined) return null;
  const hex = text.toLowerCase().replace(/[:.-]/g, '');
  if (!HEX12.test(hex) || hex === '000000000000') return null;
  return hex.replace(/(..)(?!$)/g, '$1:');
}

export function macEntity(text: string | undefined): string | null {
  const m = normalizeMac(text);
  return m === null ? null : 'mac:' + m;
}

const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** A DNS name (lowercase, no trailing dot) as `domain:…`; null for what is not a host name (or is an address). */
export function domainEntity(text: string | undefined): string | null {
  if (text === undefined || text === '' || text === '-' || text.length > 254) return null;
  let d = text.toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  if (d.indexOf('.') < 0 || !HOST_NAME.test(d) || isCanonicalV4(d)) return null;
  return 'domain:' + d;
}

/**
 * The host of a URL as written in logs (`host/path`, `http://user@host:8080/x`, `[2001:db8::1]/x`) as
 * `domain:…`; null when it has none or is an address (the flow edge beside it names the address).
 */
export function urlHostEntity(url: string | undefined): string | null {
  const host = urlHostText(url);
  return host === null || host.startsWith('[') ? null : domainEntity(host);
}

/**
 * The host of a URL as `ip:…` when it is an address (`http://203.0.113.200/x`, `[2001:db8::1]:8080/x`);
 * null for a name or none. For logs that write no flow beside the URL (a proxy's access log): the
 * client asked the proxy for that address, and without this a finding on it had no clients.
 */
export function urlHostAddress(url: string | undefined): string | null {
  const host = urlHostText(url);
  if (host === null) return null;
  return ipEntity(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
}

/**
 * What a request for a URL went to: its host as `domain:…`, or as `ip:…` when the host is an address.
 * For the logs that name the URL a client asked for (a proxy, Zeek or Suricata HTTP, PAN-OS URL
 * filtering); a finding on a URL with a bare address had no clients where only the name was taken.
 */
export function urlRequestTarget(url: string | undefined): string | null {
  return urlHostEntity(url) ?? urlHostAddress(url);
}

/**
 * A request's host name was served at the address the record names (an HTTP Host or a URL's host and
 * the server the connection went to): a `resolve` edge, as a DNS answer or a TLS server name gives one,
 * so that a pivot from the name reaches the address (a review: a URL's domain did not link to the address
 * its firewall lines named). Nothing for a host that is an address, or without a server address.
 */
export function addServedAt(out: Relation[], url: string | undefined, server: string | null): void {
  if (server === null) return;
  addRelation(out, 'resolve', urlHostEntity(url), server);
}

/** The host part of a URL as written (no scheme, userinfo or port; an IPv6 literal keeps its brackets); null when it has none. */
function urlHostText(url: string | undefined): string | null {
  if (url === undefined || url === '' || url === '-') return null;
  let at = 0;
  const scheme = url.indexOf('://');
  // a scheme only at the start (`t.co/?r=http://evil.example` is t.co's)
  if (scheme > 0 && scheme < 12 && /^[a-z][a-z0-9+.-]*$/i.test(url.slice(0, scheme))) at = scheme + 3;
  let end = url.length;
  for (const c of ['/', '?', '#', '\\']) {
    const i = url.indexOf(c, at);
    if (i >= 0 && i < end) end = i;
  }
  let host = url.slice(at, end);
  host = host.slice(host.lastIndexOf('@') + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close < 0 ? null : host.slice(0, close + 1);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(host.slice(colon + 1))) return null;
    host = host.slice(0, colon);
  }
  return host === '' ? null : host;
}

const NOT_USERS = new Set(['', '-', 'null', 'none', 'unknown', 'n/a', 'system', 'anonymous logon']);

/** A user name (lowercase, as the entity extractor keeps it); null for placeholders and machine accounts (`WS01$`). */
export function userEntity(text: string | undefined): string | null {
  if (text === undefined) return null;
  const u = text.trim().toLowerCase();
  if (NOT_USERS.has(u) || u.endsWith('$') || u.length > 128) return null;
  return 'user:' + u;
}

export function portEntity(text: string | number | undefined): string | null {
  if (text === undefined || text === '') return null;
  const n = typeof text === 'number' ? text : Number(text);
  return Number.isInteger(n) && n > 0 && n <= 65535 ? 'port:' + n : null;
}

/** Appends an edge when both ends are known and differ; skips one already there. */
export function addRelation(out: Relation[], kind: RelationKind, from: string | null, to: string | null): void {
  if (from === null || to === null || from === to) return;
  for (const r of out) if (r.kind === kind && r.from === from && r.to === to) return;
  out.push({ kind, from, to });
  if (kind === 'login' || kind === 'login_failed' || kind === 'user') {
    const bare = to.startsWith('user:') ? bareUser(to.slice(5)) : null;
    if (bare !== null) addRelation(out, 'alias', 'user:' + bare, to);
  }
}

/** A connection: allowed (`flow`) or dropped (`blocked`), plus the destination's port (`service`). */
export function addFlow(out: Relation[], allowed: boolean, src: string | null, dst: string | null, dport: string | null): void {
  if (src === null || dst === null) return;
  addRelation(out, allowed ? 'flow' : 'blocked', src, dst);
  addRelation(out, 'service', dst, dport);
}
