/**
 * JSON records: Suricata EVE (`event_type` flow, alert, dns, tls, with `src_ip`/`dest_ip`) and Zeek's JSON
 * writer. The JSON may follow a syslog header (`suricata[123]: {…}`). A tls record's server name (SNI)
 * is a `resolve` edge to the server's address and a `request` edge from the client, as in zeek.ts; an
 * http record's hostname a `request` edge.
 */
import { addFlow, addRelation, addServedAt, domainEntity, ipEntity, portEntity, urlRequestTarget, type Relation } from './types.js';
import { zeekJson } from './zeek.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function port(v: unknown): string | null {
  return typeof v === 'number' ? portEntity(v) : null;
}

function eveDns(j: Json, src: string | null, out: Relation[]): void {
  const dns = obj(j.dns);
  if (dns === null) return;
  // v1: one record per query or answer; v2: `answers` (and `grouped`) in the answer record; v3
  // (Suricata 8): `request` and `response` records whose names are in a `queries` array
  const type = str(dns.type);
  const queries = Array.isArray(dns.queries) ? dns.queries : null;
  const name = domainEntity(str(dns.rrname) ?? str(obj(queries?.[0])?.rrname));
  if (type === 'query') addRelation(out, 'query', src, name);
  else if (type === 'request') {
    if (queries !== null) for (const q of queries) addRelation(out, 'query', src, domainEntity(str(obj(q)?.rrname)));
  } else if (type === 'answer' || type === 'response') {
    if (str(dns.rdata) !== undefined) addRelation(out, 'resolve', name, ipEntity(str(dns.rdata)));
    if (Array.isArray(dns.answers)) {
      for (const a of dns.answers) {
        const ans = obj(a);
        if (ans !== null) addRelation(out, 'resolve', domainEntity(str(ans.rrname)) ?? name, ipEntity(str(ans.rdata)));
      }
    }
    const grouped = obj(dns.grouped);
    if (grouped !== null) {
      for (const key of ['A', 'AAAA']) {
        const list = grouped[key];
        if (Array.isArray(list)) for (const ip of list) addRelation(out, 'resolve', name, ipEntity(str(ip)));
      }
    }
  }
}

function eve(j: Json, out: Relation[]): boolean {
  const type = str(j.event_type);
  if (type === undefined) return false;
  const src = ipEntity(str(j.src_ip));
  const dst = ipEntity(str(j.dest_ip));
  switch (type) {
    case 'flow':
    case 'netflow': {
      const flow = obj(j.flow);
      const state = str(flow?.state);
      addFlow(out, str(flow?.action) !== 'blocked' && state !== 'rejected', src, dst, port(j.dest_port));
      return true;
    }
    case 'alert': {
      const alert = obj(j.alert);
      addRelation(out, 'alert', src, dst);
      const sig = str(alert?.signature);
      if (sig !== undefined && sig !== '') addRelation(out, 'alert', src, 'sig:' + sig);
      if (str(alert?.action) === 'blocked') addFlow(out, false, src, dst, port(j.dest_port));
      return true;
    }
    case 'tls': {
      const name = domainEntity(str(obj(j.tls)?.sni));
      addRelation(out, 'resolve', name, dst);
      addRelation(out, 'request', src, name);
      return true;
    }
    case 'http':
      addRelation(out, 'request', src, urlRequestTarget(str(obj(j.http)?.hostname)));
      addServedAt(out, str(obj(j.http)?.hostname), dst);
      return true;
    case 'dns': {
      const dns = obj(j.dns);
      // answers travel server → client: the client is the destination then
      eveDns(j, str(dns?.type) === 'answer' ? dst : src, out);
      return true;
    }
    default:
      return false;
  }
}

/** Parses the JSON object starting at `start` and hands it to the EVE or Zeek reader. */
export function jsonRecord(text: string, start: number, out: Relation[]): boolean {
  let j: Json | null;
  try {
    j = obj(JSON.parse(start === 0 ? text : text.slice(start)));
  } catch {
    return false;
  }
  if (j === null) return false;
  if ('event_type' in j) return eve(j, out);
  if ('id.orig_h' in j) return zeekJson(j, out);
  return false;
}
