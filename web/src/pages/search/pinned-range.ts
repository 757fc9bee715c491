/**
 * A search's time range read once, when the search runs: "now", a relative end (`-15m`) and an open end
 * become absolute times from one reading of the clock, so the page of hits, the histogram, the count,
 * the facets and every further page ask for the same lines. Each request read "now" for itself before,
 * and under live ingest the total, the facets and the rows disagreed by the lines that came between them.
 * The same reading is sent as `asOf`: the range bounds a line's event time, and a line stamped inside it
 * but stored after one request ran (a late line; a BSD syslog line cut to the second, stamped before a
 * pin made later in that second) was still counted by the later requests only (the demo showed "9,417
 * matches" beside facets of 9,418 and 9,422); with asOf the server leaves out every line stored after it.
 */
import { relativeMs } from '../../../../src/core/relative-time.ts';

export interface PinnedRange {
  /** what the requests send: absolute where the range named now, the range's own text elsewhere; undefined: open */
  from: string | undefined;
  to: string | undefined;
  /** the moment "now" was read as, when the range named it; null for a range of fixed times */
  at: number | null;
  /** the same reading, for every range: each request sends it as `asOf` (only lines stored by then count) */
  asOf: number;
}

/** A point the server reads without "now": epoch ms, or an ISO date or time (not a Hayabusa span, which has an end of its own). */
const POINT = /^(?:\d{11,16}|\d{4}-\d\d-\d\d(?:[T ].*)?)$/i;

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * `from`/`to` as the URL holds them (`all` or '' for open ends) pinned at `now`. The URL keeps the
 * relative range, so a shared link still means "the last 15 minutes" when it is opened; only the
 * requests carry the pinned times. `now` is kept to the millisecond: cut to the second, a line sent a
 * moment before the search was left out of it.
 */
export function pinRange(from: string, to: string, now: number): PinnedRange {
  const at = now;
  let usedNow = false;
  const resolve = (text: string): string => {
    const t = text.trim();
    const rel = relativeMs(t);
    if (t !== 'now' && rel === null) return text;
    usedNow = true;
    return iso(at - (rel ?? 0));
  };
  const f = from.trim();
  const openFrom = f === '' || f === 'all';
  const pinnedFrom = openFrom ? undefined : resolve(from);
  let pinnedTo: string | undefined;
  if (to.trim() !== '') pinnedTo = resolve(to);
  // an open end is closed at now, unless `from` is a span that ends by itself (`2017/10/17/15/*`) or
  // text the server will refuse (its error names `from`, not a `to` the page made up)
  else if (openFrom || pinnedFrom !== from || POINT.test(f)) {
    usedNow = true;
    pinnedTo = iso(at);
  }
  return { from: pinnedFrom, to: pinnedTo, at: usedNow ? at : null, asOf: at };
}
