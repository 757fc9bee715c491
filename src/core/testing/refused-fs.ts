/**
 * For tests of messages about a file the system refuses: runs `fn` while one `node:fs` function throws a
 * system error with `code` for `path` (or each path it matches) (tests run as root, whom chmod 000 does not stop). The function
 * is replaced on the module and synced to the ES module bindings (`import { readFileSync } from
 * 'node:fs'`), then put back.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

type SyncName = 'readFileSync' | 'writeFileSync' | 'mkdirSync' | 'openSync' | 'statSync';

export function refusing<T>(name: SyncName, path: string | RegExp, code: string, fn: () => T): T {
  const real = fs[name] as (...a: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = (p: unknown, ...rest: unknown[]) => {
    if (typeof path === 'string' ? String(p) === path : path.test(String(p))) throw Object.assign(new Error(`${code}: the system's words, ${name} '${String(p)}'`), { code });
    return real(p, ...rest);
  };
  syncBuiltinESMExports();
  try {
    return fn();
  } finally {
    (fs as unknown as Record<string, unknown>)[name] = real;
    syncBuiltinESMExports();
  }
}

/** A file that is there but whose read the system refuses (EIO: offset 0 of this process's memory is not mapped); null where none is. */
export const EIO_FILE: string | null = ((): string | null => {
  try {
    fs.readFileSync('/proc/self/mem');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EIO') return '/proc/self/mem';
  }
  return null;
})();
