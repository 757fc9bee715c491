/** Error kinds: a small closed set; only serve/http-errors.ts maps them to HTTP statuses. */
export const ERROR_KINDS = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_many_requests',
  'timeout',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** An error as plain data: what crosses a worker-thread or process boundary. */
export interface ErrorData {
  code: string;
  kind: ErrorKind;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The project's one error class. `code` is stable and documented in docs/errors.md (a test keeps
 * both in sync); `message` is lowercase, names what failed and where, without trailing punctuation.
 */
export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, kind: ErrorKind, message: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = details;
  }

  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, kind: this.kind, message: this.message }
      : { code: this.code, kind: this.kind, message: this.message, details: this.details };
  }
}

/** Works across realms (worker threads lose `instanceof`): checks the shape, not the class. */
export function isAppError(e: unknown): e is AppError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string' &&
    ERROR_KINDS.includes((e as { kind?: unknown }).kind as ErrorKind)
  );
}

/** errno codes that say a path is wrong: nothing there, a file where a folder is needed or the other way round, a link loop, too long */
const WRONG_PATH_ERRNOS: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/** A system error's errno code (`EACCES`), or null for anything else (a parse error, a zlib or csv error). */
export function errnoOf(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

/** True when a file-system error says the path itself is wrong (missing, or the wrong kind of thing), not that it could not be got at. */
export function isWrongPath(e: unknown): boolean {
  const code = errnoOf(e);
  return code !== null && WRONG_PATH_ERRNOS.has(code);
}

/**
 * The kind for a file or folder the user named that failed to open, read or parse: the system refusing
 * it for another reason than a wrong path (permissions, I/O, a full disk) is the environment's
 * (unavailable: exit 1 on the command line); a wrong path, or content that is not what it should be,
 * is the user's input to fix (bad_request: exit 2).
 */
export function pathFailureKind(e: unknown): 'bad_request' | 'unavailable' {
  return errnoOf(e) === null || isWrongPath(e) ? 'bad_request' : 'unavailable';
}

/**
 * What a failed system call's errno says, in a few lowercase words: the one table that every message
 * naming a cause takes them from (collect's sources, the server's start-up, the models and data files).
 */
const ERRNO_WORDS: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file'],
  ['ENOTDIR', 'a part of the path is a file, not a folder'],
  ['EISDIR', 'is a directory'],
  ['ELOOP', 'a loop of symbolic links'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'permission denied'],
  ['EIO', 'input/output error'],
  ['ENOSPC', 'no space left on the disk'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EFBIG', 'file too large for the size limit'],
  ['EROFS', 'read-only file system'],
  ['EMFILE', 'too many open files'],
  ['ENFILE', 'too many open files on this machine'],
  ['EADDRINUSE', 'address in use'],
  ['EADDRNOTAVAIL', 'address not available on this host'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host not found (name lookup failed)'],
]);

/** The words for a system error's errno (`no such file`), or null for an errno without words and for anything else. */
function errnoWords(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (ERRNO_WORDS.get(code) ?? null) : null;
}

/**
 * Why something failed, in a few lowercase words on one line: the errno's words (`address in use`), else
 * the error's own message, without an OpenSSL code prefix (`no start line`, not `error:0480006C:PEM
 * routines::no start line`) and with its line breaks flattened (JSON.parse quotes the file it read).
 */
export function describeCause(e: unknown): string {
  const words = errnoWords(e);
  if (words !== null) return words;
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Why a file the user named would not read, as a sentence ("there is no such file"), not the errno's own
 * "ENOENT: no such file or directory, open …"; `folder`: what to add when it is a folder ("a calendar is
 * one JSON file"). A wrong path is said whole; any other cause in describeCause's words.
 */
export function unreadableWhy(e: unknown, folder: string): string {
  const code = errnoOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'there is no such file';
  if (code === 'EISDIR') return `it is a folder, and ${folder}`;
  return describeCause(e);
}

/** The advice for a path that names nothing: where a relative path is read from. */
export const CHECK_PATH = 'check the path (a relative one is read from the folder nml runs in)';

/**
 * What to do about a file the user named that would not read, after unreadableWhy's words: `fix` (what
 * to give instead) for a wrong path or content that is not what it should be (no errno), and for a
 * folder unless `folderFix` says otherwise; making it readable for a permission refused; the file and its
 * disk for any other cause (an I/O error).
 */
export function unreadableAdvice(e: unknown, fix: string, folderFix = fix): string {
  const code = errnoOf(e);
  if (code === 'EISDIR') return folderFix;
  if (code === null || isWrongPath(e)) return fix;
  if (code === 'EACCES' || code === 'EPERM') return 'make it readable by the user nml runs as';
  return 'check the file and the disk it is on';
}

/** Turns anything thrown into ErrorData; unknown errors become `internal`. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof AppError) return e.toData();
  if (isAppError(e)) {
    const d: ErrorData = { code: e.code, kind: e.kind, message: e.message };
    if (e.details !== undefined) d.details = e.details;
    return d;
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', kind: 'internal', message: `internal error: ${message}` };
}

/** Rebuilds an AppError from data received from another thread. */
export function fromErrorData(d: ErrorData): AppError {
  return new AppError(d.code, d.kind, d.message, d.details);
}
