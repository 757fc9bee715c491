import { userInfo } from 'node:os';
import { AppError, CHECK_PATH, describeCause, pathFailureKind, shownHost, sourceHostProblem } from '../core/index.js';

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

/** The login name nml runs as, for advice on permissions. */
function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** What to do about a file that would not open for reading, by its errno. */
export function openAdvice(code: unknown): string {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return CHECK_PATH;
    case 'EACCES':
    case 'EPERM':
      return `make it readable by the user nml runs as (${userName()})`;
    case 'ELOOP':
      return 'point the link at the log file';
    case 'EIO':
      return 'check the file and the disk it is on';
    default:
      return 'check the path and its permissions';
  }
}

/**
 * A file to read whole (`nml ingest FILE`) that would not open: `cannot open /x/a.log: no such file
 * (ENOENT); check the path …`. The file, the cause with its errno and what to do; no `collect:` prefix, as
 * the person reading it named a file, not a module.
 */
export function fileOpenFailed(path: string, e: unknown): AppError {
  const code = (e as { code?: unknown } | null)?.code;
  const errno = typeof code === 'string' ? ` (${code})` : '';
  return new AppError('COLLECT_FILE_OPEN_FAILED', pathFailureKind(e), `cannot open ${path}: ${describeCause(e)}${errno}; ${openAdvice(code)}`, { path }, e);
}

export function optionsInvalid(what: string, why: string): AppError {
  return new AppError('COLLECT_OPTIONS_INVALID', 'bad_request', `collect: invalid ${what}: ${why}`);
}

/** A host named for a source's lines (core/source-host.ts), or COLLECT_OPTIONS_INVALID saying what is wrong with it. */
export function checkHost(what: string, host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const why = sourceHostProblem(host);
  if (why !== null) throw optionsInvalid(what, `${shownHost(host)} is ${why}`);
  return host;
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
