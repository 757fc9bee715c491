/**
 * The TLS files `nml serve` is given, read and checked at start so that a bad one stops the start with
 * an error naming the file and its key: syslog over TLS (`syslog.tcp.tls`, RFC 5425) and HTTPS for the
 * web UI and API (`http.tls`); and watched while it runs, so that a renewed certificate is put in force
 * without a restart (`watchTlsFiles`).
 */
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { SyslogTlsOptions } from './collect/index.js';
import type { NmlConfig } from './config-types.js';
import { AppError, describeCause, pathFailureKind, type ErrorKind } from './core/index.js';

interface TlsFile {
  what: string;
  /** the flag and the configuration key, for messages */
  where: string;
  pem: string;
}

type Kind = 'cert' | 'key' | 'ca';

const SYSLOG_FILES: Record<Kind, TlsFile> = {
  cert: { what: 'tls certificate', where: '--tls-cert, syslog.tcp.tls.certFile', pem: 'CERTIFICATE' },
  key: { what: 'tls private key', where: '--tls-key, syslog.tcp.tls.keyFile', pem: 'PRIVATE KEY' },
  ca: { what: 'tls ca certificate', where: 'syslog.tcp.tls.caFile', pem: 'CERTIFICATE' },
};

const HTTP_FILES: Record<'cert' | 'key', TlsFile> = {
  cert: { what: 'https certificate', where: 'http.tls.certFile', pem: 'CERTIFICATE' },
  key: { what: 'https private key', where: 'http.tls.keyFile', pem: 'PRIVATE KEY' },
};

/** `kind`: unavailable when the file is there but the system refused it (permissions, I/O) */
function tlsInvalid(code: string, message: string, details: Record<string, unknown>, cause?: unknown, kind: ErrorKind = 'bad_request'): AppError {
  return new AppError(code, kind, `serve: ${message}`, details, cause);
}

/** One TLS file, read and parsed on its own so that an error names the file at fault. */
function readTlsFile(code: string, purpose: string, kind: Kind, f: TlsFile, path: unknown): Buffer {
  if (typeof path !== 'string' || path === '') {
    throw tlsInvalid(code, `${purpose} needs a ${f.what}, and none is set (${f.where}); give both ${code === HTTP_CODE ? 'http.tls.certFile and http.tls.keyFile' : '--tls-cert and --tls-key'} (PEM files)`, { field: f.where });
  }
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw tlsInvalid(code, `cannot read the ${f.what} ${path} (${f.where}): ${describeCause(e)}; give the path of a readable PEM file`, { field: f.where, path }, e, pathFailureKind(e));
  }
  try {
    createSecureContext(kind === 'cert' ? { cert: pem } : kind === 'key' ? { key: pem } : { ca: pem });
  } catch (e) {
    throw tlsInvalid(code, `the ${f.what} ${path} (${f.where}) cannot be loaded: ${describeCause(e)}; give a PEM file (-----BEGIN ${f.pem}-----)`, { field: f.where, path }, e);
  }
  return pem;
}

/** The key and the certificate must go together: said naming both files. */
function checkPair(code: string, opts: SecureContextOptions, keyFile: string, certFile: string, where: string): void {
  try {
    createSecureContext(opts);
  } catch (e) {
    throw tlsInvalid(code, `the tls private key ${keyFile} and certificate ${certFile} (${where}) do not go together: ${describeCause(e)}; give the key the certificate was issued for`, { path: keyFile }, e);
  }
}

const SYSLOG_CODE = 'COLLECT_TLS_CONFIG_INVALID';
const HTTP_CODE = 'HTTP_TLS_CONFIG_INVALID';

/** The TLS files of syslog over TCP, read and checked; undefined when TCP is off or plain. */
export function readSyslogTls(config: Readonly<NmlConfig>): SyslogTlsOptions | undefined {
  const { tcp } = config.syslog;
  if (!tcp.enabled || tcp.tls === null) return undefined;
  const t = tcp.tls;
  const read = (kind: Kind, path: unknown): Buffer => readTlsFile(SYSLOG_CODE, 'syslog over tls', kind, SYSLOG_FILES[kind], path);
  // a ca makes the source require client certificates it signed (mutual TLS): see SyslogTlsOptions.ca
  const opts: SecureContextOptions & SyslogTlsOptions = { cert: read('cert', t.certFile), key: read('key', t.keyFile), ...(t.caFile === undefined ? {} : { ca: read('ca', t.caFile) }) };
  checkPair(SYSLOG_CODE, opts, t.keyFile, t.certFile, '--tls-key, --tls-cert');
  return opts;
}

/** The web UI's and API's certificate and key, read and checked; undefined when HTTP is off or plain. */
export function readHttpTls(config: Readonly<NmlConfig>): { cert: Buffer; key: Buffer } | undefined {
  const { http } = config;
  if (!http.enabled || http.tls === null) return undefined;
  const t = http.tls;
  const opts = { cert: readTlsFile(HTTP_CODE, 'https', 'cert', HTTP_FILES.cert, t.certFile), key: readTlsFile(HTTP_CODE, 'https', 'key', HTTP_FILES.key, t.keyFile) };
  checkPair(HTTP_CODE, opts, t.keyFile, t.certFile, 'http.tls.keyFile, http.tls.certFile');
  return opts;
}

/** a file's identity and contents as stat sees them: a renewal writes a new file or new bytes */
function stamp(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? 'missing' : `${st.ino}:${st.size}:${st.mtimeMs}`;
}

export interface TlsWatchOptions<T> {
  /** how often the files are looked at (default 10 s) */
  everyMs?: number;
  /** the files read again, checked: put them in force */
  onReload(files: T): void;
  /** a change that does not read or check (a renewal half written, a key of another certificate): the files in force stay */
  onInvalid(e: unknown): void;
}

/**
 * Puts renewed certificates in force without a restart: every `everyMs` the files' inode, size and mtime
 * are compared with what was last read, and on a change `read()` reads and checks them all again. A
 * renewal whose certificate is written before its key fails the pair check until the key follows; that
 * change is reported once (`onInvalid`) and the certificate in force stays, so a bad renewal never takes
 * the listener down. The timer does not keep the process alive; `stop()` ends it.
 */
export function watchTlsFiles<T>(paths: readonly string[], read: () => T, o: TlsWatchOptions<T>): () => void {
  let seen = paths.map(stamp).join('|');
  const timer = setInterval(() => {
    const now = paths.map(stamp).join('|');
    if (now === seen) return;
    seen = now;
    let files: T;
    try {
      files = read();
    } catch (e) {
      o.onInvalid(e);
      return;
    }
    o.onReload(files);
  }, o.everyMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
