/** Entities as investigations name them, `type:value` (`ip:10.0.0.5`, `domain:evil.example`), normalized as the relation index stores them. */
import { AppError, domainName, parseIp } from '../core/index.js';

export const ENTITY_TYPES = ['ip', 'domain', 'mac', 'user', 'port', 'host', 'sig'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface EntityRef {
  type: EntityType;
  value: string;
  /** `type:value`, the key in the relation index */
  key: string;
}

const HEX12 = /^[0-9a-f]{12}$/;
const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;

function bad(text: string, why: string): never {
  throw new AppError('PIVOT_BAD_ENTITY', 'bad_request', `pivot: entity '${text.slice(0, 100)}' ${why}; write it as ip:10.0.0.5, domain:example.com, mac:aa:bb:cc:dd:ee:ff, user:alice, port:443, host:ws-01, sig:<name> or url:<url> (its host)`, {
    entity: text.slice(0, 200),
  });
}

function normalize(type: EntityType, raw: string, text: string): string {
  const v = raw.trim();
  if (v === '') bad(text, 'has no value');
  switch (type) {
    case 'ip': {
      const ip = parseIp(v);
      if (ip === null) bad(text, 'is not an IPv4 or IPv6 address');
      return ip.text;
    }
    case 'mac': {
      const hex = v.toLowerCase().replace(/[:.-]/g, '');
      if (!HEX12.test(hex)) bad(text, 'is not a MAC address');
      return hex.replace(/(..)(?!$)/g, '$1:');
    }
    case 'domain': {
      const d = v.toLowerCase().replace(/\.$/, '');
      if (d.length > 254 || d.indexOf('.') < 0 || !HOST_NAME.test(d)) bad(text, 'is not a domain name');
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
    case 'sig':
      return v;
  }
}

/**
 * The host of a URL (scheme, userinfo, port, path, query dropped; `[v6]` unbracketed), or null. A URL
 * finding's entity is `url:…`; the relations are kept per host, so that is where its pivot starts.
 */
function urlHost(raw: string): string | null {
  const rest = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#\\]/, 1)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const v6 = /^\[([^\]]+)\]/.exec(host);
  const bare = v6 !== null ? v6[1]! : host.replace(/:\d*$/, '');
  return bare === '' ? null : bare;
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
    const ip = parseIp(host);
    return ip !== null ? { type: 'ip', value: ip.text, key: `ip:${ip.text}` } : parseEntity(`domain:${host}`);
  }
  if ((ENTITY_TYPES as readonly string[]).includes(head)) {
    const type = head as EntityType;
    const value = normalize(type, text.slice(colon + 1), text);
    return { type, value, key: `${type}:${value}` };
  }
  const ip = parseIp(text.trim());
  if (ip !== null) return { type: 'ip', value: ip.text, key: `ip:${ip.text}` };
  const d = text.trim().toLowerCase();
  if (d.indexOf('.') > 0 && HOST_NAME.test(d)) return { type: 'domain', value: d, key: `domain:${d}` };
  return bad(text, 'has no known type');
}

/** Splits a stored key (`ip:10.0.0.5`) without validating it (keys come from the index). */
export function splitKey(key: string): { type: string; value: string } {
  const colon = key.indexOf(':');
  return colon < 0 ? { type: '', value: key } : { type: key.slice(0, colon), value: key.slice(colon + 1) };
}

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The search-language term that finds lines naming this entity (see src/search/query/README.md). */
export function searchTerm(key: string): string {
  const { type, value } = splitKey(key);
  switch (type) {
    case 'ip':
      return `ip:${value}`;
    case 'mac':
      return `mac:${value}`;
    case 'port':
      return `port:${value}`;
    case 'user':
      return /^[\w.@-]+$/.test(value) ? `user:${value}` : `user:${quote(value)}`;
    case 'domain':
      // a name the entity scan recognises is a typed term; others (`wpad.corp.local`) are found as words
      return domainName(value) !== null ? `domain:${value}` : quote(value);
    default:
      return quote(value);
  }
}

/** Private, loopback, link-local and ULA addresses: hosts of the network itself, whose users we can look up. */
export function isInternalIp(value: string): boolean {
  if (value.indexOf(':') >= 0) return /^(?:f[cd]|fe[89ab])/i.test(value) || value === '::1';
  const [a, b] = value.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}
