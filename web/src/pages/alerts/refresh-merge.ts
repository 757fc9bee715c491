/**
 * A refresh of the findings list merged into the rows shown. New and updated findings go to the top, any
 * below are kept (less those whose status left the filter), and a status this page set since the request
 * went out (`mine`) is kept. While the operator works on the list (`hold`: the pointer on it, a triage
 * form open) no row moves: each is updated in place, and `held` says how many new findings wait (null:
 * the order would not change). A UX review saw rows re-sort under the cursor as it went for a button.
 */
import type { Finding } from '../../lib/types.ts';

export interface Merged {
  findings: Finding[];
  /** findings not shown before, to mark as new */
  fresh: Set<number>;
  /** held: new findings waiting (0: only the order waits); null: nothing waits */
  held: number | null;
}

export function mergeRefresh(before: readonly Finding[], top: readonly Finding[], mine: ReadonlyMap<number, Finding>, keep: (f: Finding) => boolean, hold: boolean): Merged {
  const known = new Set(before.map((f) => f.id));
  const topIds = new Set(top.map((f) => f.id));
  const kept = before.filter((f) => !topIds.has(f.id) && (keep(f) || mine.has(f.id)));
  const merged = [...top.map((f) => mine.get(f.id) ?? f), ...kept];
  if (!hold) return { findings: merged, fresh: new Set(top.filter((f) => !known.has(f.id)).map((f) => f.id)), held: null };
  const byId = new Map(top.map((f) => [f.id, mine.get(f.id) ?? f]));
  const moved = merged.length !== before.length || merged.some((f, i) => f.id !== before[i]!.id);
  return { findings: before.map((f) => byId.get(f.id) ?? f), fresh: new Set(), held: moved ? merged.filter((f) => !known.has(f.id)).length : null };
}
