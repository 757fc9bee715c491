/**
 * ISC dhcpd on dhcp-01: lease renewals (REQUEST, ACK) and now and then a full
 * DISCOVER / OFFER / REQUEST / ACK exchange, binding a workstation's MAC and name to its address.
 */
import type { Ctx, Emit } from '../context.js';
import type { Host } from '../network.js';
import type { LineWriter } from '../line-writer.js';
import { PRI } from './common.js';

const DHCPD_PID = '1022';

function dhcpd(ctx: Ctx): LineWriter {
  return ctx.header(PRI.daemonInfo, ctx.net.roles.dhcp, 'dhcpd', DHCPD_PID, 'DHCP');
}

/** ` via eth2` for headquarters, the relay's address for the branch office. */
function via(w: LineWriter, client: Host): LineWriter {
  return client.vlan === 'eth3' ? w.s(' via 192.168.10.1') : w.s(' via ').s(client.vlan);
}

/** `aa:bb:cc:dd:ee:ff (ws-0123) via eth2` */
function who(w: LineWriter, client: Host): void {
  via(w.s(client.mac).s(' (').s(client.name).s(')'), client);
}

export function dhcp(ctx: Ctx): void {
  const rng = ctx.rng;
  const client = ctx.net.pickWorkstation(rng);
  const ack: Emit = (c) => who(dhcpd(c).s('DHCPACK on ').s(client.ip).s(' to '), client);
  const r = rng();
  if (r < 0.8) {
    ctx.later(ack);
    return who(dhcpd(ctx).s('DHCPREQUEST for ').s(client.ip).s(' from '), client);
  }
  if (r < 0.96) {
    ctx.later(
      (c) => who(dhcpd(c).s('DHCPOFFER on ').s(client.ip).s(' to '), client),
      (c) => who(dhcpd(c).s('DHCPREQUEST for ').s(client.ip).s(' (').s(c.net.roles.dhcp.ip).s(') from '), client),
      ack,
    );
    return who(dhcpd(ctx).s('DHCPDISCOVER from '), client);
  }
  if (r < 0.98) return void via(dhcpd(ctx).s('DHCPINFORM from ').s(client.ip), client);
  who(dhcpd(ctx).s('DHCPRELEASE of ').s(client.ip).s(' from '), client);
  ctx.w.s(' (found)');
}
