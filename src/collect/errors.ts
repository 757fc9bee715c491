import { AppError } from '../core/index.js';

/** Every error code this folder raises; docs/errors.md lists them. */
export const COLLECT_ERROR_CODES = [
  'COLLECT_OPTIONS_INVALID',
  'COLLECT_ALREADY_STARTED',
  'COLLECT_BIND_FAILED',
  'COLLECT_TLS_CONFIG_INVALID',
  'COLLECT_FILE_OPEN_FAILED',
  'COLLECT_FILE_READ_FAILED',
  'COLLECT_STREAM_READ_FAILED',
  'COLLECT_WRITE_FAILED',
  'COLLECT_FILE_POSITIONS_FAILED',
] as const;

const ERRNO_WORDS: Record<string, string> = {
  EADDRINUSE: 'address in use',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this host',
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOTFOUND: 'host not found',
};

/** A short lowercase reason for a system error, e.g. `address in use`. */
export function describeCause(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && ERRNO_WORDS[code] !== undefined) return ERRNO_WORDS[code];
  const message = e instanceof Error ? e.message : String(e);
  return message.toLowerCase();
}

export function optionsInvalid(what: string, why: string): AppError {
  return new AppError('COLLECT_OPTIONS_INVALID', 'bad_request', `collect: invalid ${what}: ${why}`);
}

export function alreadyStarted(name: string): AppError {
  return new AppError('COLLECT_ALREADY_STARTED', 'conflict', `collect: ${name} already started`);
}

/** What to do about a bind failure, by its cause. */
const BIND_ADVICE: Record<string, string> = {
  EADDRINUSE: 'another process listens there (another nml, rsyslog, syslog-ng?); stop it, or pick another --syslog-port / syslog.udp.port / syslog.tcp.port',
  EACCES: 'ports below 1024 need root or CAP_NET_BIND_SERVICE; pick a port above 1023, or grant the capability',
  EPERM: 'ports below 1024 need root or CAP_NET_BIND_SERVICE; pick a port above 1023, or grant the capability',
  EADDRNOTAVAIL: 'give an address of this machine (or 0.0.0.0 for all of them)',
  ENOTFOUND: 'give an address of this machine (or 0.0.0.0 for all of them)',
};

/**
 * A host that is no address of this machine, or of none, is a bad value (bad_request: exit 2); a port in
 * use, or one that needs privileges, is the machine's state (unavailable: exit 1).
 */
export function bindFailureKind(cause: unknown): 'bad_request' | 'unavailable' {
  const code = (cause as { code?: unknown } | null)?.code;
  return code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'bad_request' : 'unavailable';
}

export function bindFailed(proto: string, host: string, port: number, cause: unknown): AppError {
  const code = (cause as { code?: unknown } | null)?.code;
  const advice = typeof code === 'string' ? BIND_ADVICE[code] : undefined;
  const message = `collect: cannot bind ${proto} ${host}:${port}: ${describeCause(cause)}${advice === undefined ? '' : `; ${advice}`}`;
  return new AppError('COLLECT_BIND_FAILED', bindFailureKind(cause), message, { proto, host, port }, cause);
}

/** Checks a numeric option once, at construction. */
export function checkInt(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw optionsInvalid(what, `expected an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}
