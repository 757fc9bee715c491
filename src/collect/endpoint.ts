import { isIPv6 } from 'node:net';

/**
 * `proto:ip:port` as records and source names carry it. IPv6 goes in brackets so the port stays
 * unambiguous; an IPv4 peer seen through a dual-stack socket (`::ffff:10.0.0.1`) is written as IPv4
 * so that searching for the address finds it.
 */
export function endpoint(proto: string, ip: string | undefined, port: number | undefined): string {
  let host = ip ?? 'unknown';
  if (host.startsWith('::ffff:') && host.includes('.')) host = host.slice(7);
  if (isIPv6(host)) host = `[${host}]`;
  return `${proto}:${host}:${port ?? 0}`;
}
