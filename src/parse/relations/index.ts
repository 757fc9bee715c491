/**
 * Relation edges of one parsed event (see types.ts for what each kind means). Chosen by the syslog
 * app when there is one, else by a cheap look at the text; lines of no known source cost a switch and a
 * few `indexOf`s. Never throws: a line it cannot read yields no edges.
 */
import type { LogEvent } from '../../core/index.js';
import { withoutColourCodes } from '../ansi.js';
import { freeRadius, hostapd, radiusKeyValues, sshd, windowsLogon } from './auth.js';
import { dnsmasqDhcp, iscDhcpd, kea } from './dhcp.js';
import { bindQuery, dnsmasq, unbound } from './dns.js';
import { jsonRecord } from './eve.js';
import { netfilter } from './netfilter.js';
import { panos } from './panos.js';
import { squid } from './proxy.js';
import type { Relation } from './types.js';
import { opensLikeZeekTsv, zeekTsv } from './zeek.js';

export type { Relation, RelationKind, RelationEntityType } from './types.js';
export { RELATION_KINDS, RELATION_ENTITY_TYPES, normalizeMac } from './types.js';

function byApp(app: string, text: string, out: Relation[]): boolean {
  switch (app) {
    case 'named':
    case 'bind':
      bindQuery(text, out);
      return true;
    case 'dnsmasq':
      dnsmasq(text, out);
      return true;
    case 'dnsmasq-dhcp':
      dnsmasqDhcp(text, out);
      return true;
    case 'unbound':
      unbound(text, out);
      return true;
    case 'dhcpd':
      if (text.startsWith('DHCPACK')) iscDhcpd(text, out);
      return true;
    case 'sshd':
      sshd(text, out);
      return true;
    case 'hostapd':
      hostapd(text, out);
      return true;
    case 'radiusd':
    case 'freeradius':
      if (!freeRadius(text, out)) radiusKeyValues(text, out);
      return true;
    default:
      return false;
  }
}

function byContent(text: string, out: Relation[]): void {
  const brace = text.indexOf('{"');
  if (brace >= 0 && text.charCodeAt(text.length - 1) === 125 && (brace === 0 || text.charCodeAt(brace - 1) === 32)) {
    if (jsonRecord(text, brace, out)) return;
  }
  if (opensLikeZeekTsv(text)) {
    zeekTsv(text, out);
    return;
  }
  if (text.indexOf(',TRAFFIC,') >= 0 || text.indexOf(',THREAT,') >= 0) {
    if (panos(text, out)) return;
  }
  if (text.indexOf(' SRC=') >= 0) {
    netfilter(text, out);
    return;
  }
  if (text.indexOf('DHCP') >= 0) {
    if (text.indexOf('DHCPACK') >= 0) {
      if (text.indexOf('DHCPACK(') >= 0) dnsmasqDhcp(text, out);
      else iscDhcpd(text, out);
    } else kea(text, out);
    return;
  }
  if (squid(text, out)) return;
  if (text.indexOf('Login ') >= 0 && freeRadius(text, out)) return;
  if (text.indexOf('Calling-Station-I') >= 0 && radiusKeyValues(text, out)) return;
  if (text.indexOf('462') >= 0) windowsLogon(text, out);
}

/** Every edge has an address or a device at one end: a line the entity scan found neither in has none. */
function mayRelate(ev: LogEvent): boolean {
  for (const e of ev.entities) if (e.kind === 'ip' || e.kind === 'mac') return true;
  return false;
}

/**
 * The relation edges named by one event; empty for most lines. `ev` must carry its entities (parse
 * with entities on): they gate the work.
 */
export function extractRelations(ev: LogEvent): Relation[] {
  const out: Relation[] = [];
  if (!mayRelate(ev)) return out;
  try {
    // Colour codes (`for \x1b[33mbob\x1b[0m from`) would break every pattern and end up in a user or an
    // address: the extractors read the text as a terminal shows it (a parsed message has none left).
    const text = withoutColourCodes(ev.parsed ? ev.message : ev.raw);
    if (ev.app === null || !byApp(ev.app, text, out)) byContent(text, out);
  } catch {
    return [];
  }
  return out;
}
