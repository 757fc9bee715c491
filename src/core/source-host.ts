/**
 * The host of a line whose header names none, as its source gives it: a syslog sender's address, or a
 * host the operator names for a file, stdin or an HTTP ingest (rsyslog and syslog-ng do the same). A
 * header's own host always wins (parse-line.ts). A named host is checked here, once, wherever it is
 * given (`nml ingest --host`, `files.follow`, `POST /api/ingest?host=`).
 */
import { AppError } from './errors.js';
import { parseIp } from './ip.js';

/** the longest host name DNS allows (RFC 1035: 253 characters written out) */
export const MAX_SOURCE_HOST_LENGTH = 253;

/** labels of letters, digits, `-` and `_` (a Windows or NetBIOS name keeps `_`), joined by dots */
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

/** Why `value` is no host name or address (one sentence to follow "host … is"), or null when it is one. */
export function sourceHostProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'not text';
  if (value === '') return 'empty';
  if (value.length > MAX_SOURCE_HOST_LENGTH) return `${value.length} characters long, over the ${MAX_SOURCE_HOST_LENGTH} a host name may have`;
  if (/[\s\p{Cc}]/u.test(value)) return 'holding a space or a control character';
  if (parseIp(value) !== null || NAME.test(value)) return null;
  return 'neither an IP address nor a host name (letters, digits, "-" and "_" in dot-separated labels of at most 63 characters, e.g. web-01 or web-01.example.com)';
}

/** `value` shown in a message: quoted, cut short, control characters escaped. */
export function shownHost(value: unknown): string {
  const s = typeof value === 'string' ? value : String(value);
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + '…' : s);
}

/**
 * The host of a syslog sender's address, as its source name writes it (collect/endpoint.ts): an IPv4
 * peer seen through a dual-stack socket (`::ffff:10.0.0.1`) is its IPv4 address; undefined for none.
 */
export function peerHost(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * `value` when it is a host name or address, else INGEST_HOST_INVALID (bad_request) saying what is wrong
 * and where: `where` names the place it was given (`ingest: --host`, `ingest: ?host=`).
 */
export function checkedSourceHost(value: unknown, where: string): string {
  const problem = sourceHostProblem(value);
  if (problem === null) return value as string;
  return invalidHost(value, where, problem);
}

function invalidHost(value: unknown, where: string, problem: string): never {
  throw new AppError('INGEST_HOST_INVALID', 'bad_request', `${where} ${shownHost(value)} is ${problem}; give the host the lines come from: an IP address or a host name such as web-01; nothing was stored`, { host: typeof value === 'string' ? value.slice(0, 300) : String(value) });
}
