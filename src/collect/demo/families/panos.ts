/**
 * PAN-OS TRAFFIC and THREAT logs (CSV, as fw-pa-01 sends them over syslog). User-ID maps a
 * workstation's address to its owner, so the source-user column names the person behind a flow.
 */
import { intIn, pick } from '../prng.js';
import type { Ctx } from '../context.js';
import type { Host } from '../network.js';
import type { LineWriter } from '../line-writer.js';
import { BACKGROUND_THREATS, COUNTRIES, PAN_APPS, type PanApp, type PanThreat } from '../pools/panos.js';
import { KNOCKED_PORTS } from './firewall.js';
import { ephemeralPort, PRI } from './common.js';

const SERIAL = '016401002737';
const PRIVATE_LOC = '10.0.0.0-10.255.255.255';
const TRAFFIC_TAIL = ',0,0,0,0,,fw-pa-01,from-policy,,,0,,0,,N/A,0,0,0,0';
const THREAT_TAIL = ',,,0,,,0,,,,,,,,0,0,0,0,0,,fw-pa-01,,,,,0,,0,,N/A,';
const OUTBOUND = { rule: 'allow-outbound', from: 'trust', to: 'untrust', inIf: 'ethernet1/2', outIf: 'ethernet1/1' };
const INBOUND = { rule: 'allow-web-dmz', from: 'untrust', to: 'dmz', inIf: 'ethernet1/1', outIf: 'ethernet1/3' };

/** The columns every PAN-OS log shares, up to and including the protocol; returns the country drawn for the outside end. */
function columns(ctx: Ctx, type: string, subtype: string, src: string, dst: string, dport: number, rule: string, user: string, app: string, outbound: boolean, proto: string): string {
  const rng = ctx.rng;
  const t = ctx.stamps.pan;
  const zones = outbound ? OUTBOUND : INBOUND;
  const w = ctx.header(PRI.userInfo, ctx.net.roles.paloalto, '', null, type);
  w.s('1,').s(t).s(',').s(SERIAL).s(',').s(type).s(',').s(subtype).s(',2561,').s(t).s(',').s(src).s(',').s(dst).s(',');
  w.s(outbound ? ctx.net.publicIp : src).s(',').s(dst).s(',').s(rule).s(',').s(user).s(',,').s(app).s(',vsys1,').s(zones.from).s(',').s(zones.to);
  w.s(',').s(zones.inIf).s(',').s(zones.outIf).s(',log-fwd,').s(t).s(',').n(238810 + (ctx.seq >>> 2)).s(',1,').n(ephemeralPort(rng)).s(',').n(dport);
  w.s(',').n(outbound ? ephemeralPort(rng) : 0).s(',').n(dport).s(',0x400000,').s(proto).s(',');
  return pick(rng, COUNTRIES);
}

/** An outbound session from a workstation, as it ends. */
export function outboundSession(ctx: Ctx, client: Host, dst: string, app: PanApp): void {
  const rng = ctx.rng;
  const country = columns(ctx, 'TRAFFIC', 'end', client.ip, dst, app.port, 'allow-outbound', client.account, app.app, true, app.proto);
  const sent = intIn(rng, 300, 40000);
  const recv = intIn(rng, 500, 900000);
  const pkts = 4 + (recv >> 10);
  const reason = app.proto === 'udp' ? 'aged-out' : rng() < 0.85 ? 'tcp-fin' : 'tcp-rst-from-server';
  const w = ctx.w.s('allow,').n(sent + recv).s(',').n(sent).s(',').n(recv).s(',').n(pkts).s(',').s(ctx.stamps.pan).s(',').n(intIn(rng, 0, 600));
  w.s(',').s(app.category).s(',0,').n(ctx.seq).s(',0x8000000000000000,').s(PRIVATE_LOC).s(',').s(country).s(',0,').n(pkts >> 2).s(',').n(pkts - (pkts >> 2));
  w.s(',').s(reason).s(TRAFFIC_TAIL);
}

/** An unsolicited inbound attempt the policy denies. */
export function deniedInbound(ctx: Ctx, src: string, dport: number): void {
  const country = columns(ctx, 'TRAFFIC', 'deny', src, ctx.net.publicIp, dport, 'deny-inbound', '', 'incomplete', false, 'tcp');
  ctx.w.s('deny,60,60,0,1,').s(ctx.stamps.pan).s(',0,any,0,').n(ctx.seq).s(',0x8000000000000000,').s(country).s(',').s(PRIVATE_LOC).s(',0,1,0,policy-deny').s(TRAFFIC_TAIL);
}

export interface ThreatSession {
  /** the session's initiator and responder, as PAN-OS logs them */
  src: string;
  dst: string;
  dport: number;
  app: string;
  action: 'alert' | 'reset-both' | 'drop';
  /** the quoted URL or file-name column */
  detail: string;
  /** true when the initiator is inside (trust zone) */
  outbound: boolean;
  direction: 'client-to-server' | 'server-to-client';
  user: string;
}

export function threat(ctx: Ctx, t: PanThreat, s: ThreatSession): void {
  const country = columns(ctx, 'THREAT', t.subtype, s.src, s.dst, s.dport, s.outbound ? 'allow-outbound' : 'allow-web-dmz', s.user, s.app, s.outbound, 'tcp');
  const w: LineWriter = ctx.w.s(s.action).s(',"').s(s.detail).s('",').s(t.name).s('(').n(t.id).s('),').s(s.outbound ? 'unknown' : 'business-and-economy');
  w.s(',').s(t.severity).s(',').s(s.direction).s(',').n(ctx.seq).s(',0x8000000000000000,');
  w.s(s.outbound ? PRIVATE_LOC : country).s(',').s(s.outbound ? country : PRIVATE_LOC).s(THREAT_TAIL).s(t.category).s(',AppThreat-8727-8140,0x0,0,4294967295');
}

export function panTraffic(ctx: Ctx): void {
  const rng = ctx.rng;
  if (rng() < 0.8) {
    const flow = ctx.recentFlow();
    if (flow !== null) return outboundSession(ctx, flow.client, flow.ip, pick(rng, PAN_APPS));
  }
  deniedInbound(ctx, ctx.net.pickVisitor(rng), pick(rng, KNOCKED_PORTS));
}

export function panThreat(ctx: Ctx): void {
  const rng = ctx.rng;
  const t = pick(rng, BACKGROUND_THREATS);
  if (t.subtype === 'virus') {
    const flow = ctx.recentFlow();
    const client = flow?.client ?? ctx.net.pickWorkstation(rng);
    const server = flow?.ip ?? ctx.net.pickVisitor(rng);
    return threat(ctx, t, { src: client.ip, dst: server, dport: 80, app: 'web-browsing', action: 'reset-both', detail: 'eicar.com.txt', outbound: true, direction: 'server-to-client', user: client.account });
  }
  const action = rng() < 0.7 ? 'alert' : 'reset-both';
  threat(ctx, t, { src: ctx.net.pickVisitor(rng), dst: ctx.net.roles.website.ip, dport: 80, app: 'web-browsing', action, detail: '/', outbound: false, direction: 'client-to-server', user: '' });
}
