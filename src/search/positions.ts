/**
 * Each shard's place while a page is read, and the cursor a page ends with. A position is the last
 * hit taken from the shard (rows older than it are left) and `top`, the rowid from which rows need no
 * reading again; see cursor.ts.
 */
import type { ShardInfo } from '../store/index.js';
import type { CursorState, ShardPos } from './cursor.js';
import type { ShardCursor, ShardPage } from './leaf.js';
import type { MergedRef } from './merge.js';
import { newerKey, type HitKey } from './top-hits.js';

const NO_ROWID = Number.MAX_SAFE_INTEGER;

export class ShardPositions {
  /** per shard left to read: its position, null = from the newest; a shard done is absent */
  private readonly at = new Map<string, ShardPos | null>();
  /** the page each shard gave in this call */
  private readonly pages = new Map<string, ShardPage>();

  /** `state`: the incoming cursor, whose positions are those of its slot's shards */
  constructor(shards: readonly ShardInfo[], state: CursorState | null, group: ReadonlyMap<string, number>) {
    for (const s of shards) {
      const p = state !== null && group.get(s.rel) === state.slot ? state.pos[s.rel] : undefined;
      if (p !== -1) this.at.set(s.rel, p ?? null);
    }
  }

  /** whether the shard may still hold hits */
  left(rel: string): boolean {
    return this.at.has(rel);
  }

  /** where the shard's leaf job starts */
  start(rel: string): Pick<ShardCursor, 'below' | 'top'> {
    const p = this.at.get(rel) ?? null;
    return p === null ? { below: null, top: null } : { below: { time: p.time, rowid: p.rowid }, top: p.top };
  }

  read(pages: readonly ShardPage[]): void {
    for (const p of pages) this.pages.set(p.rel, p);
  }

  /**
   * The cursor after `taken`, the page's hits in order, given that more remain: the positions of the
   * last hit's slot group. A shard the page took hits from continues below its last one; one it took
   * none from continues below the last hit's time (rows newer than that arrived after the page was read).
   */
  cursorAfter(taken: readonly MergedRef[], shards: readonly ShardInfo[], group: ReadonlyMap<string, number>): Omit<CursorState, 'q'> {
    const last = taken[taken.length - 1]!;
    const slot = group.get(last.shard)!;
    const fromShard = new Map<string, MergedRef[]>();
    for (const h of taken) {
      let list = fromShard.get(h.shard);
      if (list === undefined) fromShard.set(h.shard, (list = []));
      list.push(h);
    }
    const pos: CursorState['pos'] = {};
    for (const s of shards) {
      if (group.get(s.rel) !== slot) continue;
      pos[s.rel] = this.after(s.rel, fromShard.get(s.rel) ?? [], last);
    }
    return { slot, pos };
  }

  private after(rel: string, took: readonly MergedRef[], last: HitKey): ShardPos | -1 {
    if (!this.at.has(rel)) return -1;
    const prior = this.at.get(rel)!;
    const page = this.pages.get(rel);
    if (page === undefined) return prior ?? { time: last.time, rowid: NO_ROWID, top: NO_ROWID };
    if (took.length === page.hits.length && page.exhausted) return -1;
    if (took.length === 0) {
      const boundary = { time: last.time, rowid: NO_ROWID };
      const below = prior !== null && newerKey(boundary, prior) ? prior : boundary;
      return { time: below.time, rowid: below.rowid, top: page.top };
    }
    const end = took[took.length - 1]!;
    // a row above one that is more than the lateness bound newer than `end` is newer than `end` itself
    let top = page.top;
    for (const h of took) if (h.time > end.time + page.lateness && h.rowid < top) top = h.rowid;
    return { time: end.time, rowid: end.rowid, top };
  }
}
