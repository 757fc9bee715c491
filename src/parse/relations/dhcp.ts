/** DHCP servers: ISC dhcpd (`DHCPACK on IP to MAC (name)`), dnsmasq-dhcp (`DHCPACK(eth0) IP MAC name`), Kea (`DHCP4_LEASE_ALLOC [hwtype=1 MAC] … lease IP`). */
import { addRelation, ipEntity, macEntity, type Relation } from './types.js';

const ISC = /DHCPACK on (\S+) to ([0-9a-fA-F:]{17})(?: \(([^)\s]+)\))?/;
// the MAC ends at a space or the line's end: a longer hardware address (InfiniBand's 20 bytes) is no MAC.
// Every run of characters is bounded (an interface name is at most 15): an unbounded one rescans the rest
// of the line from each `DHCPACK(` or `[hwtype=` that does not go on as expected, which is quadratic.
const DNSMASQ = /DHCPACK\([^)\s]{0,32}\) (\S+) ([0-9a-fA-F:-]{17})(?!\S)(?: (\S+))?/;
// `cid=[01:08:00:27:25:d3:f4]` (a client id, which Windows always sends) holds colons; a client id has at
// most 255 bytes (765 characters as hex pairs), and `, tid=0x5cb1f7cb` comes before the `: lease`
const KEA = /DHCP4_LEASE_ALLOC \[hwtype=\d{1,5} ([0-9a-fA-F:]{17})\](?:, cid=\[[^\]]{0,800}\])?[^:]{0,64}: lease (\S+) has been allocated/;

function hostEntity(name: string | undefined): string | null {
  if (name === undefined || name === '' || name === '*') return null;
  const h = name.toLowerCase();
  return /^[a-z0-9][a-z0-9._-]{0,62}$/.test(h) ? 'host:' + h : null;
}

function lease(out: Relation[], ip: string | undefined, mac: string | undefined, name?: string): void {
  const m = macEntity(mac);
  addRelation(out, 'lease', ipEntity(ip), m);
  addRelation(out, 'hostname', m, hostEntity(name));
}

export function iscDhcpd(text: string, out: Relation[]): void {
  const m = ISC.exec(text);
  if (m !== null) lease(out, m[1], m[2], m[3]);
}

export function dnsmasqDhcp(text: string, out: Relation[]): void {
  const m = DNSMASQ.exec(text);
  if (m !== null) lease(out, m[1], m[2], m[3]);
}

export function kea(text: string, out: Relation[]): void {
  const m = KEA.exec(text);
  // (DHCPv6 leases name a DUID, not a MAC: nothing to link)
  if (m !== null) lease(out, m[2], m[1]);
}
