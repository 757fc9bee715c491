/**
 * The order of neighbours by how many lines relate them, shared by the pivot (which keeps the first
 * `limit` of each relation), the Investigate page's relations table and `nml pivot`. Standalone: the
 * web bundle imports it.
 */

/** A count that is exact (`countMax` absent) or ranged: `count` lines surely, up to `countMax` may be. */
export interface LineCount {
  count: number;
  countMax?: number;
}

/**
 * Most lines first by the upper bound, then the lower: a ranged count ("1–1,003", the range cuts an hour
 * of the relation index) ranks by what it may be, so a relation that may be large is not buried under an
 * exact "6" (an operator walk found it so, sorted by the lower bound) nor cut by the per-relation limit;
 * of two that may be as large, the surer one comes first (an exact 1,003 above 1–1,003). The midpoint was
 * not taken: lines between an hour's first and last are not spread evenly, a scan's hundreds all lie in
 * one minute, so 502 would be a guess the index cannot back.
 */
export function byLines(a: LineCount, b: LineCount): number {
  return (b.countMax ?? b.count) - (a.countMax ?? a.count) || b.count - a.count;
}
