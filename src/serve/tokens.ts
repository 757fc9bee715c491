/**
 * API tokens: a file holding one random token (created on first use, mode 0600), and a verifier
 * that compares SHA-256 digests with timingSafeEqual so neither content nor length leaks by timing.
 * `nml token rotate` replaces the file's token (atomically); a running server reads the file again
 * when it changes (looked at most once a second), so the old token stops working without a restart;
 * a file deleted or damaged while the server runs revokes every token until it holds one again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, describeCause, errnoOf, unreadableWhy, writeWholeFileSync } from '../core/index.js';
import { dataFileAdvice, makeOwnerOnlyFolder } from './owner-folder.js';

export interface TokenVerifier {
  verify(token: string): boolean;
}

export interface TokenFile extends TokenVerifier {
  token: string;
  /** true when this call wrote the file (the caller tells the operator where it is) */
  created: boolean;
}

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,512}$/;

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A verifier accepting any of `tokens`; every candidate is compared, so timing does not say which. */
export function tokenVerifier(tokens: string[]): TokenVerifier {
  const expected = tokens.map(digest);
  return {
    verify(token: string): boolean {
      const given = digest(token);
      let ok = false;
      for (const e of expected) ok = timingSafeEqual(given, e) || ok;
      return ok;
    },
  };
}

export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

function readToken(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('TOKEN_FILE_UNREADABLE', 'unavailable', `tokens: cannot read ${path}: ${unreadableWhy(e, 'the API token is kept in one file')}; ${dataFileAdvice(e)}`, { path }, e);
  }
  const token = text.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new AppError('TOKEN_FILE_INVALID', 'bad_request', `tokens: ${path} does not hold one base64url token of 16 to 512 characters; delete it to get a new one`, { path });
  }
  return token;
}

/** Reads the token at `path`, or creates the file (and its directory, 0700) with a new token. */
export function loadOrCreateTokenFile(path: string): TokenFile {
  let token = readToken(path);
  let created = false;
  if (token === null) {
    token = newToken();
    try {
      makeOwnerOnlyFolder(dirname(path));
      // made whole and only if absent (noReplace: written and synced under a temporary name, then
      // hard-linked, which never replaces): a token another process made meanwhile is the one to use, and a
      // process killed while writing leaves no empty token file (it did with 'wx' on the file itself)
      writeWholeFileSync(path, `${token}\n`, { mode: 0o600, noReplace: true });
      created = true;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') {
        throw new AppError('TOKEN_FILE_UNWRITABLE', 'unavailable', `tokens: cannot create ${path}: ${describeCause(e)}; ${dataFileAdvice(e)}`, { path }, e);
      }
      token = readToken(path)!;
    }
  }
  const verifier = tokenVerifier([token]);
  return { token, created, verify: (t) => verifier.verify(t) };
}

/**
 * Writes a new token to `path` (mode 0600, replaced whole by core's writeWholeFileSync: an unpredictable
 * temporary name created exclusively, so nothing planted in the folder is written through, and synced
 * with its folder, so a power cut cannot bring the old token back) and returns it.
 */
export function rotateTokenFile(path: string): string {
  readToken(path); // an unreadable file is reported as such, not overwritten blindly
  const token = newToken();
  try {
    makeOwnerOnlyFolder(dirname(path));
    writeWholeFileSync(path, `${token}\n`, { mode: 0o600 });
  } catch (e) {
    throw new AppError('TOKEN_FILE_UNWRITABLE', 'unavailable', `tokens: cannot write ${path}: ${describeCause(e)}; ${dataFileAdvice(e)}`, { path }, e);
  }
  return token;
}

export interface WatchedTokenOptions {
  /** how often at most the file is looked at (default 1 s) */
  checkEveryMs?: number;
  now?: () => number;
  /** the file changed and holds no valid token: no token is accepted until it does */
  onInvalid?: (e: Error) => void;
  /** the file was read again with a new token */
  onRotated?: () => void;
}

/**
 * The token file as a verifier that follows it: when the file's inode, size or mtime changed since the
 * last look (at most once per `checkEveryMs`, on a verify), it is read again. A file gone or damaged
 * refuses every token until it holds a valid one again (reported once per change through `onInvalid`):
 * deleting or blanking the file is how an operator would revoke a leaked token.
 */
export function watchedTokenFile(path: string, initial: TokenFile, o: WatchedTokenOptions = {}): TokenVerifier {
  const every = o.checkEveryMs ?? 1000;
  const now = o.now ?? Date.now;
  let verifier = tokenVerifier([initial.token]);
  let seen = fileStamp(path);
  let lastLook = now();
  return {
    verify(token: string): boolean {
      const t = now();
      if (t - lastLook >= every) {
        lastLook = t;
        const stamp = fileStamp(path);
        if (stamp !== seen) {
          seen = stamp;
          try {
            const next = readToken(path);
            if (next === null) throw new AppError('TOKEN_FILE_UNREADABLE', 'unavailable', `tokens: ${path} is gone; no API token is accepted until it holds one ('nml token rotate' writes a new one)`, { path });
            verifier = tokenVerifier([next]);
            o.onRotated?.();
          } catch (e) {
            verifier = tokenVerifier([]);
            o.onInvalid?.(e as Error);
          }
        }
      }
      return verifier.verify(token);
    },
  };
}

function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
