/**
 * The TLS files `nml serve` is given, read and checked at start so that a bad one stops the start with
 * an error naming the file and its key: syslog over TLS (`syslog.tcp.tls`, RFC 5425) and HTTPS for the
 * web UI and API (`http.tls`); and watched while it runs, so that a renewed certificate is put in force
 * without a restart (`watchTlsFiles`).
 */
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { SyslogTlsOptions } from './collect/index.js';
import type { FastifyBaseLogger } from 'fastify';
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

/** What the files are for: the error code and how messages name the use and its two settings. */
interface Purpose {
  code: string;
  name: string;
  /** the settings that give the certificate and the key, for "give both …" */
  both: string;
}

const SYSLOG: Purpose = { code: 'COLLECT_TLS_CONFIG_INVALID', name: 'syslog over tls', both: '--tls-cert and --tls-key' };
const HTTPS: Purpose = { code: 'HTTP_TLS_CONFIG_INVALID', name: 'https', both: 'http.tls.certFile and http.tls.keyFile' };

/** One TLS file, read and parsed on its own so that an error names the file at fault. */
function readTlsFile(p: Purpose, kind: Kind, f: TlsFile, path: unknown): Buffer {
  if (typeof path !== 'string' || path === '') {
    throw tlsInvalid(p.code, `${p.name} needs a ${f.what}, and none is set (${f.where}); give both ${p.both} (PEM files)`, { field: f.where });
  }
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw tlsInvalid(p.code, `cannot read the ${f.what} ${path} (${f.where}): ${describeCause(e)}; give the path of a readable PEM file`, { field: f.where, path }, e, pathFailureKind(e));
  }
  try {
    createSecureContext(kind === 'cert' ? { cert: pem } : kind === 'key' ? { key: pem } : { ca: pem });
  } catch (e) {
    throw tlsInvalid(p.code, `the ${f.what} ${path} (${f.where}) cannot be loaded: ${describeCause(e)}; give a PEM file (-----BEGIN ${f.pem}-----)`, { field: f.where, path }, e);
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

/** The TLS files of syslog over TCP, read and checked; undefined when TCP is off or plain. */
export function readSyslogTls(config: Readonly<NmlConfig>): SyslogTlsOptions | undefined {
  const { tcp } = config.syslog;
  if (!tcp.enabled || tcp.tls === null) return undefined;
  const t = tcp.tls;
  const read = (kind: Kind, path: unknown): Buffer => readTlsFile(SYSLOG, kind, SYSLOG_FILES[kind], path);
  // a ca makes the source require client certificates it signed (mutual TLS): see SyslogTlsOptions.ca
  const opts: SecureContextOptions & SyslogTlsOptions = { cert: read('cert', t.certFile), key: read('key', t.keyFile), ...(t.caFile === undefined ? {} : { ca: read('ca', t.caFile) }) };
  checkPair(SYSLOG.code, opts, t.keyFile, t.certFile, '--tls-key, --tls-cert');
  return opts;
}

/** The web UI's and API's certificate and key, read and checked; undefined when HTTP is off or plain. */
export function readHttpTls(config: Readonly<NmlConfig>): { cert: Buffer; key: Buffer } | undefined {
  const { http } = config;
  if (!http.enabled || http.tls === null) return undefined;
  const t = http.tls;
  const opts = { cert: readTlsFile(HTTPS, 'cert', HTTP_FILES.cert, t.certFile), key: readTlsFile(HTTPS, 'key', HTTP_FILES.key, t.keyFile) };
  checkPair(HTTPS.code, opts, t.keyFile, t.certFile, 'http.tls.keyFile, http.tls.certFile');
  return opts;
}

/** a file's identity and contents as stat sees them: a renewal writes a new file or new bytes */
function stamp(path: string): string {
  const st = statSync(path, { throwIfNoEntry: false });
  return st === undefined ? 'missing' : `${st.ino}:${st.size}:${st.mtimeMs}`;
}

export interface TlsWatch<T> {
  /** how the log names the listener: `https`, `syslog tls` */
  what: string;
  paths: readonly string[];
  /** the files read and checked again (throws as at start) */
  read(): T;
  /** puts them in force for new connections */
  put(files: T): void;
  /** how often the files are looked at (default 10 s) */
  everyMs?: number;
}

/**
 * Puts renewed certificates in force without a restart: every `everyMs` the files' inode, size and mtime
 * are compared with what was last read, and on a change `read()` reads and checks them all again. A
 * renewal whose certificate is written before its key fails the pair check until the key follows; that
 * change is one warning and the certificate in force stays, so a bad renewal never takes the listener
 * down. `fields` go on both log lines (never key material). The timer does not keep the process alive;
 * the function returned ends it.
 */
export function watchTlsFiles<T>(w: TlsWatch<T>, logger: Pick<FastifyBaseLogger, 'info' | 'warn'>, fields: Record<string, unknown>): () => void {
  let seen = w.paths.map(stamp).join('|');
  const timer = setInterval(() => {
    const now = w.paths.map(stamp).join('|');
    if (now === seen) return;
    seen = now;
    let files: T;
    try {
      files = w.read();
    } catch (e) {
      logger.warn({ ...fields, reason: (e as Error).message }, `${w.what}: the certificate files changed but do not load; the previous certificate stays in force until they do`);
      return;
    }
    w.put(files);
    logger.info(fields, `${w.what}: the certificate files changed; the new certificate is in force for new connections`);
  }, w.everyMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
