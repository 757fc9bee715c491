/** For tests: cheap scrypt parameters and a user store in a temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScryptParams } from './password.js';
import { UserStore, type UserStoreOptions } from './store.js';

/** Fast and weak; production uses SCRYPT_DEFAULT. */
export const FAST_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 10, r: 8, p: 1, keyLen: 32 });

export function tempUserStore(opts: UserStoreOptions = {}): { store: UserStore; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-users-'));
  const store = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT, ...opts });
  return { store, dir, cleanup: () => (store.close(), rmSync(dir, { recursive: true, force: true })) };
}
