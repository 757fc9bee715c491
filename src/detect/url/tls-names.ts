/**
 * The server name a TLS client asked for (SNI), from the records that log it: Suricata EVE `tls` events
 * (`"tls":{"sni":…}`), Zeek ssl.log from the JSON writer (`"server_name":…`) and in TSV (the default
 * column order: version in column 7, server_name in column 10); and the host of a proxy's tunnel, which is
 * how Squid's access.log writes an HTTPS request (`CONNECT login.example:443`). Most web traffic is HTTPS, where these
 * records hold all a sensor sees of the URL: its host. The live scorer scores it as `<name>/`, what a
 * PAN-OS URL log writes for the same request. Only the live URL scorer reads them: a server name is not a
 * URL entity of the line (search and relations keep seeing a domain).
 */

import { ZEEK_TLS_VERSIONS } from '../../parse/index.js';

/** Zeek's `version` column */
const VERSION = new RegExp(`^(?:${ZEEK_TLS_VERSIONS})$`);
/** What every such record holds: an SNI key or a version column between tabs (one pass, no split) */
export const TLS_HINT = new RegExp(`"(?:sni|server_name)"|\\t(?:${ZEEK_TLS_VERSIONS})\\t| CONNECT `);
/** Squid's `CONNECT host:port` (the method, then the tunnel's target) */
const CONNECT = / CONNECT ([^\s:/]+):\d{1,5}(?: |$)/;
const EVE_SNI = /"sni"\s*:\s*"([^"\\]*)"/;
const ZEEK_SNI = /"server_name"\s*:\s*"([^"\\]*)"/;
/** A host name of at least two labels, letters, digits and hyphens; not an address (SNI may not be one) */
const NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const ADDRESS = /^[\d.]+$/;

/** Whether a line may be such a record (the live scorer asks it of every line, then extracts). */
export function mayBeTlsRecord(line: string): boolean {
  return TLS_HINT.test(line);
}

/** A server name as the records write it, lower-cased; null unless it is a plain host name. */
function hostName(v: string | undefined): string | null {
  if (v === undefined || v === '' || v === '-') return null;
  const h = v.toLowerCase();
  return NAME.test(h) && !ADDRESS.test(h) ? h : null;
}

/** The server name of a TLS record, lower case; null when the line is none or names no plain host. */
export function tlsServerName(line: string): string | null {
  if (line.includes('"sni"') && line.includes('"tls"')) return hostName(EVE_SNI.exec(line)?.[1]);
  if (line.includes('"server_name"')) return hostName(ZEEK_SNI.exec(line)?.[1]);
  if (line.includes(' CONNECT ')) return hostName(CONNECT.exec(line)?.[1]);
  if (!line.includes('\t')) return null;
  // ts uid orig_h orig_p resp_h resp_p version(6) cipher curve server_name(9)
  const c = line.split('\t', 11);
  if (c.length < 10 || !VERSION.test(c[6]!) || !/^\d+$/.test(c[3]!) || !/^\d+$/.test(c[5]!)) return null;
  return hostName(c[9]);
}
