/**
 * DNS query logs: BIND (dns-01, headquarters) and dnsmasq (dns-02, branch office, which forwards
 * to dns-01 and logs the answer). Every lookup is remembered so a connection to the answer follows.
 */
import { mulberry32, pick } from '../prng.js';
import type { Ctx } from '../context.js';
import type { Host, Site } from '../network.js';
import { PRI } from './common.js';
import { flat } from '../line-writer.js';

const QTYPES = ['A', 'A', 'A', 'A', 'A', 'A', 'AAAA', 'AAAA', 'AAAA', 'HTTPS', 'A', 'AAAA', 'MX', 'TXT'];
const FLAGS = ['+E(0)K', '+E(0)K', '+E(0)K', '+E(0)', '+', '+ED', '+E(0)DC'];
/** BIND reuses a few client objects; their addresses recur in the log. */
const CLIENT_HANDLES: string[] = (() => {
  const r = mulberry32(0xb1d9);
  const out: string[] = [];
  for (let i = 0; i < 48; i++) out.push(flat('@0x7f' + Math.floor(r() * 0xffffffff).toString(16).padStart(8, '0') + Math.floor(r() * 0xff).toString(16).padStart(2, '0')));
  return out;
})();
const BIND_PID = '812';
const DNSMASQ_PID = '1433';

/** A BIND query-log line: `client @0x.. 10.0.3.4#53211 (name): query: name IN A +E(0)K (10.0.0.53)`. */
export function bindQuery(ctx: Ctx, client: Host, name: string, qtype: string): void {
  const rng = ctx.rng;
  const server = ctx.net.roles.bind;
  ctx.header(PRI.daemonInfo, server, 'named', BIND_PID, 'QUERY').s('client ').s(pick(rng, CLIENT_HANDLES)).s(' ').s(client.ip).s('#').n(1024 + Math.floor(rng() * 64000))
    .s(' (').s(name).s('): query: ').s(name).s(' IN ').s(qtype).s(' ').s(pick(rng, FLAGS)).s(' (').s(server.ip).s(')');
}

/** A dnsmasq lookup; the forward and the reply follow as later lines. */
export function dnsmasqQuery(ctx: Ctx, client: Host, site: Site, ip: string): void {
  const server = ctx.net.roles.dnsmasq;
  const name = site.domain;
  ctx.later(
    (c) => void c.header(PRI.daemonInfo, server, 'dnsmasq', DNSMASQ_PID, 'QUERY').s('forwarded ').s(name).s(' to ').s(c.net.roles.bind.ip),
    (c) => void c.header(PRI.daemonInfo, server, 'dnsmasq', DNSMASQ_PID, 'QUERY').s('reply ').s(name).s(' is ').s(ip),
  );
  ctx.header(PRI.daemonInfo, server, 'dnsmasq', DNSMASQ_PID, 'QUERY').s('query[A] ').s(name).s(' from ').s(client.ip);
}

/** A workstation looks a site up at whichever resolver serves its office. */
export function lookup(ctx: Ctx, client: Host, site: Site): void {
  const ip = pick(ctx.rng, site.ips);
  ctx.rememberFlow(client, site, ip);
  if (client.vlan === 'eth3') dnsmasqQuery(ctx, client, site, ip);
  else bindQuery(ctx, client, site.domain, pick(ctx.rng, QTYPES));
}

export function dns(ctx: Ctx): void {
  const rng = ctx.rng;
  const client = ctx.net.pickWorkstation(rng);
  if (rng() < 0.15 && client.vlan !== 'eth3') {
    const target = ctx.net.pickServer(rng);
    return bindQuery(ctx, client, target.fqdn, 'A');
  }
  lookup(ctx, client, ctx.net.pickSite(rng));
}
