/**
 * Zeek logs, one record per line: TSV in the default column order of dns.log, conn.log, ssl.log and
 * http.log (no header is at hand for a single line, so the layout is recognised by its columns), and
 * Zeek's JSON writer (`{"ts":…,"id.orig_h":…,"query":…}`). An ssl.log record's server name (SNI) is a
 * `resolve` edge to the server's address: the name was served there, which is what a DNS answer says (and
 * all a sensor learns of a name when the client resolved it over encrypted DNS); and a `request` edge from
 * the client, as an http.log record's Host is.
 */
import { addFlow, addRelation, addServedAt, domainEntity, ipEntity, portEntity, urlRequestTarget, type Relation } from './types.js';

const CONN_STATES = new Set(['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);
const PROTOS = new Set(['udp', 'tcp', 'icmp', 'unknown_transport']);
/** The values of ssl.log's version column (TLSv10–13, SSLv2/3, DTLSv10/12), as a regular-expression alternation */
export const ZEEK_TLS_VERSIONS = 'TLSv1[0-3]|SSLv[23]|DTLSv1[02]';
const TLS_VERSION = new RegExp(`^(?:${ZEEK_TLS_VERSIONS})$`);
const HTTP_METHOD = /^[A-Z]{3,12}$/;
const DIGITS = /^\d{1,6}$/;

/** DNS answers: names and addresses, comma separated (`ise.wrccdc.cpp.edu,134.71.3.16`); addresses become `resolve` edges. */
function addAnswers(out: Relation[], query: string | null, answers: string | undefined): void {
  if (query === null || answers === undefined || answers === '-' || answers === '(empty)') return;
  for (const a of answers.split(',')) addRelation(out, 'resolve', query, ipEntity(a));
}

/** A Zeek TSV record opens with its `ts`, epoch seconds, and a tab. */
const TS_TAB = /^\d{9,10}(?:\.\d+)?\t/;

/** Whether `text` opens as a Zeek TSV record does (cheap: most lines fail at their first character). */
export function opensLikeZeekTsv(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57 && TS_TAB.test(text);
}

/** The logs whose TSV records are recognised by their columns (the default column order). */
export type ZeekTsvLog = 'ssl' | 'http' | 'conn' | 'dns';

/**
 * Which log the TSV columns `c` (a record split at tabs, at most 25) are from, or null. Every one of
 * them opens with ts uid id.orig_h id.orig_p id.resp_h id.resp_p; the addresses are not checked here.
 */
export function zeekTsvLog(c: readonly string[]): ZeekTsvLog | null {
  // ssl.log: … resp_p(5) version(6) cipher curve server_name(9)
  if (c.length >= 10 && TLS_VERSION.test(c[6]!)) return 'ssl';
  // http.log: … resp_p(5) trans_depth(6) method(7) host(8) uri(9)
  if (c.length >= 10 && DIGITS.test(c[6]!) && HTTP_METHOD.test(c[7]!)) return 'http';
  if (c.length < 20 || !PROTOS.has(c[6]!)) return null;
  // conn.log first: with its optional columns (l2 addresses, community_id) it is as wide as dns.log,
  // and its history(15) (`S`, `ShAdDaFf` or `-`) can look like an rcode_name; dns.log's column 11 is a
  // class name (`C_INTERNET`), never a connection state
  if (CONN_STATES.has(c[11]!)) return 'conn';
  // dns.log: … query(9) qclass qclass_name qtype qtype_name rcode rcode_name(15) AA TC RD RA Z answers(21)
  if (c.length >= 23 && /^(?:[A-Z]+|-)$/.test(c[15] ?? '')) return 'dns';
  return null;
}

/**
 * Whether the id.orig_p and id.resp_p columns of a record of `log` are ports: conn.log and dns.log name
 * the transport (column 6), and an ICMP record holds the message type and code there; ssl and http are TCP.
 */
export function zeekTsvHasPorts(log: ZeekTsvLog, c: readonly string[]): boolean {
  return (log !== 'conn' && log !== 'dns') || c[6] === 'tcp' || c[6] === 'udp';
}

export function zeekTsv(text: string, out: Relation[]): boolean {
  const c = text.split('\t', 25);
  const orig = ipEntity(c[2]);
  const resp = ipEntity(c[4]);
  if (orig === null || resp === null) return false;
  const log = zeekTsvLog(c);
  switch (log) {
    case 'ssl': {
      const name = domainEntity(c[9]);
      addRelation(out, 'resolve', name, resp);
      addRelation(out, 'request', orig, name);
      return true;
    }
    case 'http':
      // the Host may carry a port
      addRelation(out, 'request', orig, urlRequestTarget(c[8]));
      addServedAt(out, c[8], resp);
      return true;
    case 'conn':
      // conn.log: … proto(6) service duration orig_bytes resp_bytes conn_state(11)
      addFlow(out, c[11] !== 'REJ', orig, resp, zeekTsvHasPorts(log, c) ? portEntity(c[5]) : null);
      return true;
    case 'dns': {
      const query = domainEntity(c[9]);
      addRelation(out, 'query', orig, query);
      addAnswers(out, query, c[21]);
      return true;
    }
    default:
      return false;
  }
}

/** Zeek's JSON writer: the same fields by name. `j` is the parsed object. */
export function zeekJson(j: Record<string, unknown>, out: Relation[]): boolean {
  const orig = ipEntity(str(j['id.orig_h']));
  const resp = ipEntity(str(j['id.resp_h']));
  if (orig === null || resp === null) return false;
  if (typeof j.query === 'string') {
    const query = domainEntity(j.query);
    addRelation(out, 'query', orig, query);
    if (Array.isArray(j.answers)) addAnswers(out, query, j.answers.filter((a) => typeof a === 'string').join(','));
    return true;
  }
  if (typeof j.server_name === 'string') {
    const name = domainEntity(j.server_name);
    addRelation(out, 'resolve', name, resp);
    addRelation(out, 'request', orig, name);
    return true;
  }
  if (typeof j.method === 'string' && typeof j.host === 'string') {
    addRelation(out, 'request', orig, urlRequestTarget(j.host));
    addServedAt(out, j.host, resp);
    return true;
  }
  if (typeof j.conn_state === 'string') {
    // an ICMP record's id.resp_p is the message code (entities/zeek.ts takes no port from it either)
    const ports = j.proto !== 'icmp' && j.proto !== 'unknown_transport';
    addFlow(out, j.conn_state !== 'REJ', orig, resp, ports ? portEntity(num(j['id.resp_p'])) : null);
    return true;
  }
  return false;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
