/**
 * A shard file the catalog does not know as sealed (a crash, a copy), found at open: a writer seals it
 * (its WAL replayed) and both measure it; one that is not a database or is corrupt is moved to
 * quarantine/ by a writer, a busy or unreadable one skipped. It never touches the catalog's file.
 */
import { join } from 'node:path';
import { fileBytes, quarantine } from './catalog-files.js';
import type { ShardInfo } from './catalog-types.js';
import { inspectShard, sealShardFile } from './shard-file.js';
import { parseShardRelPath } from './slots.js';
import { sqliteAccessProblem } from './sqlite-read.js';

/**
 * The shard `rel` (a path the tree walk parsed) measured, sealed where `writable`; null when it could
 * not be opened, after telling `problem` why and what became of it. `slotMs` is the slot length for a
 * shard that recorded none.
 */
export function recoverShardFile(
  shardsDir: string,
  rel: string,
  slotMs: number,
  writable: boolean,
  replaces: readonly string[] | undefined,
  problem: (message: string) => void,
): ShardInfo | null {
  const parsed = parseShardRelPath(rel)!;
  const path = join(shardsDir, rel);
  let stats: ReturnType<typeof inspectShard>;
  try {
    if (writable) sealShardFile(path);
    stats = inspectShard(path);
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // only a file that is not a database (killed before its schema committed: it holds no acknowledged
    // line) or a corrupt one is moved aside; a busy one is left alone
    if (writable && (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_ERROR')) {
      problem(`store: shard ${rel} could not be opened (${(e as Error).message}); moved to quarantine/`);
      quarantine(shardsDir, rel);
    } else {
      problem(`store: shard ${rel} skipped (${sqliteAccessProblem(e, path) ?? (e as Error).message})`);
    }
    return null;
  }
  const { slotMs: written, ...measured } = stats;
  return {
    rel,
    path,
    slotStart: parsed.slotStart,
    slotEnd: parsed.slotStart + (written ?? slotMs),
    lane: parsed.lane,
    seq: parsed.seq,
    ...measured,
    bytes: fileBytes(path),
    sealed: writable,
    ...(replaces === undefined ? {} : { replaces }),
  };
}
