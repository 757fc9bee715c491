/** DNS server query logs: BIND (`client … query: NAME IN A`), dnsmasq (`query[A] NAME from IP`, `reply NAME is IP`), unbound (`info: IP NAME. A IN`). */
import { addRelation, domainEntity, ipEntity, type Relation } from './types.js';

// client @0x7f43b6fa4db8 10.0.2.91#4132 (app.quora.com): view internal: query: app.quora.com IN A +E(0) (10.0.0.53)
// `client` starts the message or follows a few words (`queries: info:`, a time): anchored, the regex is tried
// at most five times, and each try is linear. The name in parentheses is a presentation-format name (at most
// 255 octets, 4 characters each when escaped). A query the server refused (security category:
// `query (cache) 'example.com/ANY/IN' denied`) was still asked: the client queried the name.
const BIND =
  /^(?:\S+ ){0,4}client (?:@0x[0-9a-f]+ )?([0-9a-fA-F.:]+)#\d+(?: \([^)]{0,1024}\))?: (?:view [^:]+: )?(?:query: (\S+) IN |query (?:\(cache\) )?'([^'\s/]+)\/[A-Z0-9]+\/[A-Z0-9]+' denied)/;

export function bindQuery(text: string, out: Relation[]): void {
  const m = BIND.exec(text);
  if (m !== null) addRelation(out, 'query', ipEntity(m[1]), domainEntity(m[2] ?? m[3]));
}

// query[A] mail.github.com from 192.168.10.35 / reply api.ubuntu.com is 151.191.224.249 / cached x is 1.2.3.4
const DNSMASQ_QUERY = /^query\[[A-Z0-9]+\] (\S+) from (\S+)/;
// `\S[^\s/]*\/\S+` is `\S+\/\S+` (a word with a `/` after its first character) that stops at the first
// such `/` instead of trying each one: linear on a long word of many `/`.
const DNSMASQ_ANSWER = /^(?:reply|cached|config|\/etc\/hosts|\S[^\s/]*\/\S+) (\S+) is (\S+)/;

export function dnsmasq(text: string, out: Relation[]): void {
  const c = text.charCodeAt(0);
  if (c === 113 /* q */) {
    const m = DNSMASQ_QUERY.exec(text);
    if (m !== null) addRelation(out, 'query', ipEntity(m[2]), domainEntity(m[1]));
    return;
  }
  const m = DNSMASQ_ANSWER.exec(text);
  if (m !== null) addRelation(out, 'resolve', domainEntity(m[1]), ipEntity(m[2]));
}

// [1234:0] info: 192.168.1.10 example.com. A IN (log-queries) / … A IN NOERROR 0.000 1 57 (log-replies)
const UNBOUND = /info: ([0-9a-fA-F.:]+) (\S+)\. [A-Z0-9]+ IN\b/;

export function unbound(text: string, out: Relation[]): void {
  const m = UNBOUND.exec(text);
  if (m !== null) addRelation(out, 'query', ipEntity(m[1]), domainEntity(m[2]));
}
