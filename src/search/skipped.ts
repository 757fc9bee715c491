/**
 * Damaged shards a search leaves out (STORE_SHARD_UNREADABLE: cut short, overwritten, a bad sector):
 * how they are reported beside an answer, so that no one reads a partial answer as a whole one.
 */

/**
 * A shard a search left out because it is damaged (STORE_SHARD_UNREADABLE; the store's problems say
 * what to do): its file relative to the data directory and the span of time it holds (epoch ms, both
 * ends included; its slot's bounds when it never recorded its lines' times). Lines of that span may
 * be missing from the answer, so a count is then a lower bound.
 */
export interface SkippedShard {
  file: string;
  from: number;
  to: number;
}

/** The damaged shards the pages of one stream left out, each once (in the order met). */
export class SkippedShards {
  private readonly byFile = new Map<string, SkippedShard>();
  add(list: readonly SkippedShard[]): void {
    for (const s of list) if (!this.byFile.has(s.file)) this.byFile.set(s.file, s);
  }
  get list(): SkippedShard[] {
    return [...this.byFile.values()];
  }
}

const MAX_NAMED = 5;

/**
 * What an operator reads when a search left shards out (the CLI's warning, an export's last line):
 * which files, the time they hold, and that matches from it may be missing. `what` is who says it.
 */
export function skippedMessage(skipped: readonly SkippedShard[], what = 'search'): string {
  const named = skipped.slice(0, MAX_NAMED).map((s) => `${s.file} (${new Date(s.from).toISOString()} to ${new Date(s.to).toISOString()})`);
  const more = skipped.length > MAX_NAMED ? ` and ${skipped.length - MAX_NAMED} more` : '';
  // a file that is gone is reported as unreadable too (shard-damage.ts): the store's problem says which it is
  const n = skipped.length === 1 ? 'a damaged or missing shard' : `${skipped.length} damaged or missing shards`;
  return (
    `${what}: ${n} left out: ${named.join(', ')}${more}; matches from that time may be missing (a count is a lower bound). ` +
    'The store problems (nml stats, the Live page) say what to do with the file'
  );
}
