/** iptables / nftables LOG lines (`PREFIX IN=eth0 OUT= … SRC=… DST=… PROTO=TCP SPT=… DPT=…`); the verdict comes from the log prefix. */
import { addFlow, ipEntity, portEntity, type Relation } from './types.js';

const DENY = /drop|deny|reject|block|refuse/i;

function field(text: string, key: string, from: number, to: number): string | undefined {
  const at = text.indexOf(key, from);
  if (at < 0 || at >= to) return undefined;
  const start = at + key.length;
  let end = text.indexOf(' ', start);
  if (end < 0) end = text.length;
  return text.slice(start, end);
}

export function netfilter(text: string, out: Relation[]): boolean {
  const src = text.indexOf(' SRC=');
  if (src < 0) return false;
  const inAt = text.indexOf('IN=');
  // the prefix is what precedes IN= (after the kernel's `[uptime]` stamp)
  const prefix = inAt > 0 ? text.slice(0, inAt) : '';
  // an ICMP error quotes the packet it answers (`TYPE=3 CODE=3 [SRC=… DST=… PROTO=UDP SPT=… DPT=53 ]`): its fields are not this packet's
  let end = text.indexOf(' [', src);
  if (end < 0) end = text.length;
  const s = ipEntity(field(text, ' SRC=', src, end));
  const d = ipEntity(field(text, ' DST=', src, end));
  const dpt = portEntity(field(text, ' DPT=', src, end));
  addFlow(out, !DENY.test(prefix), s, d, dpt);
  return true;
}
