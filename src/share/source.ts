/**
 * A line's `source` (how it reached NML, the store's source name: store/stored-source.ts) as an export
 * writes it. The shapes a stored source takes, and what of each is kept:
 * - `udp:ADDR:PORT`, `tcp:…`, `tls:…` (collect/endpoint.ts: the sender, IPv6 in brackets): the kind and the
 *   port kept, the address Crypto-PAn (so it joins the line's `host`, the same sender); `unknown` kept;
 * - `http:ADDR` (POST /api/ingest: the client): the kind kept, the address Crypto-PAn;
 * - `file:PATH` (a followed or ingested file): the kind and the file's base name kept (`auth.log`,
 *   `access.log.1`: what kind of log it is), its addresses and dashed addresses anonymized; the folder a
 *   keyed pseudonym `dir-…` (a folder names people, hosts, projects: `/home/alice/`, `/var/log/remote/web-01/`),
 *   one folder one pseudonym, so the lines of one file still group;
 * - `stdin`, `demo`, `demo-fw`: kept (they name nothing);
 * - anything else (an NDJSON record's own `source`, any text a shipper sent): a pseudonym `source-…` whole.
 */

export interface SourceParts {
  /** the anonymized address of `text`, or null when it is none */
  address(text: string): string | null;
  /** `text` through the pattern sweep (addresses, user names in paths, dashed addresses) */
  text(text: string): string;
  pseudonym(kind: string, value: string): string;
}

const KEPT = new Set(['stdin', 'demo', 'demo-fw']);
const PEER = /^(udp|tcp|tls):(\[[^\]]*\]|[^:]*):([0-9]{1,5})$/;

/** `source` as an export writes it (see above). */
export function sharedSource(source: string, p: SourceParts): string {
  if (KEPT.has(source)) return source;
  const peer = PEER.exec(source);
  if (peer !== null) {
    const [, kind, host, port] = peer as unknown as [string, string, string, string];
    const bracketed = host.startsWith('[');
    const bare = bracketed ? host.slice(1, -1) : host;
    const ip = p.address(bare);
    if (ip !== null) return `${kind}:${bracketed ? `[${ip}]` : ip}:${port}`;
    if (bare === 'unknown') return source;
  }
  if (source.startsWith('http:')) {
    const ip = p.address(source.slice('http:'.length));
    if (ip !== null) return `http:${ip}`;
  }
  if (source.startsWith('file:') && source.length > 'file:'.length) {
    const path = source.slice('file:'.length);
    const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    const base = p.text(path.slice(cut + 1));
    if (cut < 0) return `file:${base}`;
    return cut === 0 ? `file:${path[0]}${base}` : `file:${p.pseudonym('dir', path.slice(0, cut))}${path[cut]}${base}`;
  }
  return p.pseudonym('source', source);
}
