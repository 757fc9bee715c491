/** Entities as investigations name them, `type:value` (`ip:10.0.0.5`, `domain:evil.example`), normalized as the relation index stores them. */
import { domainToASCII } from 'node:url';
import { AppError, domainName, mappedIPv4, parseCidr, parseIPv4, parseIPv6, parseIp, urlHost } from '../core/index.js';
import { compileQuery } from '../search/index.js';

export const ENTITY_TYPES = ['ip', 'domain', 'mac', 'user', 'port', 'host', 'sig'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface EntityRef {
  type: EntityType;
  value: string;
  /** `type:value`, the key in the relation index */
  key: string;
}

const HEX12 = /^[0-9a-f]{12}$/;
/**
 * An address as the relation index keys it: its canonical text, except that an IPv4-mapped address
 * (`::ffff:10.0.0.5`, `0:0:0:0:0:ffff:a00:5`) is the IPv4 address it maps, as the relation extractors
 * key it (parse/relations ipEntity); null when it is no address.
 */
function ipKeyText(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : (mappedIPv4(ip) ?? ip.text);
}
const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

/** A network (`10.20.1.0/24`): Search takes it, a pivot does not (found by review: it said "has no known type"). */
const network = (cidr: string): string => `is a network: a pivot starts from one address or name, so pivot on one of its addresses; Search finds every line of the network (the query ${cidr.trim().slice(0, 50)})`;

function bad(text: string, why: string): never {
  throw new AppError('PIVOT_BAD_ENTITY', 'bad_request', `pivot: entity '${text.slice(0, 100)}' ${why}; write it as ip:10.0.0.5, domain:example.com, mac:aa:bb:cc:dd:ee:ff, user:alice, port:443, host:ws-01, sig:<name> or url:<url> (its host)`, {
    entity: text.slice(0, 200),
  });
}

/**
 * A domain as the index stores it: lowercase, without the root's trailing dot, an internationalized name
 * in its ASCII form (`bücher.example` → `xn--bcher-kva.example`); null when it is not a host name of
 * two labels or more, or is an address (`10.0.0.5`: a domain's last label is never all digits).
 */
function domainKey(raw: string): string | null {
  let d = raw.toLowerCase().replace(/\.$/, '');
  if (/[^\x00-\x7f]/.test(d)) {
    d = domainToASCII(d);
    if (d === '') return null;
  }
  if (d.length > 253 || d.indexOf('.') <= 0 || !HOST_NAME.test(d) || /\.\d+$/.test(d)) return null;
  return d;
}

function normalize(type: EntityType, raw: string, text: string): string {
  const v = raw.trim();
  if (v === '') bad(text, 'has no value');
  // a signature is kept as the index stores it: the whole text after `sig:`, spaces included
  if (type === 'sig') return raw;
  switch (type) {
    case 'ip': {
      const ip = ipKeyText(v);
      if (ip === null && parseCidr(v.trim()) !== null) bad(text, network(v));
      if (ip === null) bad(text, 'is not an IPv4 or IPv6 address');
      return ip;
    }
    case 'mac': {
      const hex = v.toLowerCase().replace(/[:.-]/g, '');
      if (!HEX12.test(hex)) bad(text, 'is not a MAC address');
      return hex.replace(/(..)(?!$)/g, '$1:');
    }
    case 'domain': {
      if (parseIp(v) !== null) bad(text, 'is an address, not a domain name (write it as ip:…)');
      const d = domainKey(v);
      if (d === null) bad(text, 'is not a domain name');
      return d;
    }
    case 'port': {
      const n = Number(v);
      if (!/^\d{1,5}$/.test(v) || n < 1 || n > 65535) bad(text, 'is not a port 1-65535');
      return String(n);
    }
    case 'user':
    case 'host':
      return v.toLowerCase();
  }
}

/**
 * Parses `type:value`; a bare address or domain name is taken as such, and `url:…` as its host (an
 * address or a domain). Throws PIVOT_BAD_ENTITY.
 */
export function parseEntity(text: string): EntityRef {
  const colon = text.indexOf(':');
  const head = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  if (head === 'url') {
    const host = urlHost(text.slice(colon + 1));
    if (host === null) return bad(text, 'is a URL without a host');
    const ip = ipKeyText(host);
    return ip !== null ? { type: 'ip', value: ip, key: `ip:${ip}` } : parseEntity(`domain:${host}`);
  }
  if ((ENTITY_TYPES as readonly string[]).includes(head)) {
    const type = head as EntityType;
    const value = normalize(type, text.slice(colon + 1), text);
    return { type, value, key: `${type}:${value}` };
  }
  const ip = ipKeyText(text.trim());
  if (ip !== null) return { type: 'ip', value: ip, key: `ip:${ip}` };
  // a bare name as `domain:` takes it: `evil.example.` and `bücher.example` too
  const d = domainKey(text.trim());
  if (d !== null) return { type: 'domain', value: d, key: `domain:${d}` };
  if (parseCidr(text.trim()) !== null) return bad(text, network(text));
  return bad(text, 'has no known type');
}

/** Splits a stored key (`ip:10.0.0.5`) without validating it (keys come from the index). */
export function splitKey(key: string): { type: string; value: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { type: '', value: key } : { type: key.slice(0, colon), value: key.slice(colon + 1) };
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `term` when it compiles; else the value as a substring (`sig:***` has no word to search for: `sub:"***"`). */
function compiling(term: string, value: string): string {
  try {
    compileQuery(term);
    return term;
  } catch {
    return `sub:${quote(value)}`;
  }
}

/** The search-language term that finds lines naming this entity (see src/search/query/README.md). */
export function searchTerm(key: string): string {
  const { type, value } = splitKey(key);
  switch (type) {
    case 'ip':
      // `ip:::1` reads as the word `ip` then `1` in the query language: an address that starts with a colon is quoted
      return value.startsWith(':') ? `ip:${quote(value)}` : `ip:${value}`;
    case 'mac':
      return `mac:${value}`;
    case 'port':
      return `port:${value}`;
    case 'user':
      return compiling(/^[\w.@-]+$/.test(value) ? `user:${value}` : `user:${quote(value)}`, value);
    case 'domain':
      // a name the entity scan recognises is a typed term; others (`wpad.corp.local`) are found as words
      return domainName(value) !== null ? `domain:${value}` : compiling(quote(value), value);
    default:
      return compiling(quote(value), value);
  }
}

/**
 * Private, loopback, link-local, CGNAT and ULA addresses: hosts of the network itself, whose users we can
 * look up. Decided on the address's bits, not its text (`fc::1` is `00fc::1`, outside fc00::/7); an
 * IPv4-mapped address (`::ffff:10.0.0.5`) is the IPv4 address it maps.
 */
export function isInternalIp(value: string): boolean {
  let v4 = parseIPv4(value);
  if (v4 === null) {
    const g = value.indexOf(':') >= 0 ? parseIPv6(value) : null;
    if (g === null) return false;
    const zeroHead = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0;
    if (zeroHead && g[5] === 0xffff) v4 = [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff];
    else return (g[0]! & 0xfe00) === 0xfc00 || (g[0]! & 0xffc0) === 0xfe80 || (zeroHead && g[5] === 0 && g[6] === 0 && g[7] === 1);
  }
  const [a, b] = v4 as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}
