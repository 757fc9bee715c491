/** Test helpers of the backups. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Puts a file in `data` whose path is `total` characters long: under the system's 4096, so the data
 * directory holds it, but over it below a backup folder whose path is longer than `data`'s by more than
 * 4096 - `total`: its copy fails (ENAMETOOLONG), as root too, where a folder's mode would not stop a write.
 * Returns the folder to remove for the next backup to work.
 */
export function tooDeepForBackup(data: string, total = 4000): string {
  const top = join(data, 'deep');
  let p = top;
  while (p.length + 201 < total) p = join(p, 'd'.repeat(200));
  p = join(p, 'e'.repeat(Math.max(1, total - p.length - 3)));
  mkdirSync(p, { recursive: true });
  writeFileSync(join(p, 'f'), 'x');
  return top;
}
