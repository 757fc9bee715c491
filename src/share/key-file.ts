/** Reading the share key file, for `nml share export --key-file` and `share.keyFile` (GET /api/share/export). */
import { readFileSync } from 'node:fs';
import { AppError, describeCause, isWrongPath } from '../core/index.js';
import { readShareKey } from './key.js';

export const MAKE_SHARE_KEY = 'make one with: nml share key --out FILE (keep it: the same key makes later exports joinable with this one)';

/**
 * The key in `path`; a missing, unreadable or short file is SHARE_KEY_MISSING / SHARE_KEY_INVALID, said
 * with `where` it was given (`--key-file`, `share.keyFile`) and how to make one. The key is never in a message.
 */
export function loadShareKey(path: string, where: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const what = isWrongPath(e) ? 'there is no file' : `cannot read it (${describeCause(e)})`;
    throw new AppError('SHARE_KEY_MISSING', 'bad_request', `share: ${where} ${path}: ${what}; ${MAKE_SHARE_KEY}`, { path }, e);
  }
  const key = readShareKey(bytes);
  if ('problem' in key) throw new AppError('SHARE_KEY_INVALID', 'bad_request', `share: ${where} ${path} is no share key: ${key.problem}; ${MAKE_SHARE_KEY}`, { path });
  return key.key;
}
