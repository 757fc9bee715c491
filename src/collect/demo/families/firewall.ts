/**
 * iptables / nftables packet logs from the Linux edge firewall fw-01 (kernel facility): outbound
 * connections that follow a workstation's DNS lookup, and the internet's unsolicited knocks dropped
 * on the public address.
 */
import { intIn, pick } from '../prng.js';
import type { Ctx } from '../context.js';
import type { Host } from '../network.js';
import { ephemeralPort, PRI } from './common.js';

const UPSTREAM_MAC = '00:08:a2:0c:1f:12';
const FW_WAN_MAC = '00:1b:17:00:01:01';
const FW_LAN_MAC = '00:1b:17:00:01:02';
/** Ports the internet keeps trying, most tried first. */
export const KNOCKED_PORTS = [23, 22, 445, 3389, 80, 8080, 443, 1433, 3306, 5900, 6379, 8443, 2222, 25, 5060, 9200, 27017, 21, 111, 161];

/** One logged packet; `prefix` is the rule's log prefix. */
export function packetLine(ctx: Ctx, prefix: string, inIf: string, outIf: string, srcMac: string, src: string, dst: string, udp: boolean, dpt: number): void {
  const rng = ctx.rng;
  const fw = ctx.net.roles.firewall;
  const wan = inIf === 'eth0';
  const ttl = wan ? intIn(rng, 40, 250) : 64;
  const w = ctx.header(PRI.kernWarning, fw, 'kernel', null, 'FW');
  ctx.kernelStamp(fw).s(prefix).s('IN=').s(inIf).s(' OUT=').s(outIf).s(' MAC=').s(wan ? FW_WAN_MAC : FW_LAN_MAC).s(':').s(srcMac).s(':08:00');
  w.s(' SRC=').s(src).s(' DST=').s(dst).s(udp ? ' LEN=76' : ' LEN=60').s(' TOS=0x00 PREC=0x00 TTL=').n(ttl).s(' ID=').n(intIn(rng, 1, 65535));
  if (udp) w.s(' PROTO=UDP SPT=').n(ephemeralPort(rng)).s(' DPT=').n(dpt).s(' LEN=56');
  else w.s(' DF PROTO=TCP SPT=').n(ephemeralPort(rng)).s(' DPT=').n(dpt).s(' WINDOW=64240 RES=0x00 SYN URGP=0');
}

/** An outbound connection from a workstation. */
export function outbound(ctx: Ctx, client: Host, dst: string, dpt: number): void {
  const prefix = ctx.rng() < 0.7 ? 'FW-ACCEPT: ' : 'nft-fwd-accept: ';
  packetLine(ctx, prefix, client.vlan, 'eth0', client.mac, client.ip, dst, false, dpt);
}

/** A dropped knock on the public address. */
export function inboundDrop(ctx: Ctx, src: string, dpt: number): void {
  const prefix = ctx.rng() < 0.7 ? 'IPTABLES-DROP: ' : 'nft-wan-drop: ';
  const udp = dpt === 5060 || dpt === 161 || dpt === 111;
  packetLine(ctx, prefix, 'eth0', '', UPSTREAM_MAC, src, ctx.net.publicIp, udp, dpt);
}

export function firewall(ctx: Ctx): void {
  const rng = ctx.rng;
  if (rng() < 0.55) {
    const flow = ctx.recentFlow();
    if (flow !== null) return outbound(ctx, flow.client, flow.ip, rng() < 0.9 ? 443 : 80);
  }
  inboundDrop(ctx, ctx.net.pickVisitor(rng), pick(rng, KNOCKED_PORTS));
}
