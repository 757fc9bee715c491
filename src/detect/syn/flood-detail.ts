/**
 * A `syn-flood` or `syn-wave` finding's bursts and earlier floods as the Alerts page lists them under its
 * Why (web/src/pages/alerts/FloodBursts.tsx): the detail board-findings.ts writes (`episodes`,
 * `episodeCount`, `droppedSources`, `earlier`, `earlierCount`, `beforeRestart`, a wave's `allFew`), read defensively, since rows stored by older servers lack
 * the fields and a row's detail is whatever the store holds. It imports nothing: the web bundle takes it
 * as it is.
 */

/** One burst (episode) of a flood, or one earlier flood (wave) against the same victim (port). */
export interface FloodSpanView {
  /** first and latest SYN (ms) */
  from: number;
  to: number;
  sources: number;
  /** up to three of its sources (their addresses, without the score the detail writes after each) */
  examples: string[];
  /** an earlier flood's own bursts (1 when it had no pause) */
  episodeCount: number;
}

export interface FloodDetailView {
  kind: 'flood' | 'wave';
  /** the bursts the detail keeps (the first and the latest: those not kept lie between), and how many there were in all */
  episodes: FloodSpanView[];
  episodeCount: number;
  /**
   * the sources of the bursts not kept, counted in none of those listed (distinct: the server counts each
   * source once, in the burst it first came in); null when the detail does not say (a row from an older
   * server)
   */
  droppedSources: number | null;
  /** the latest earlier floods (waves) the detail keeps, oldest first (those not kept are older), and how many there were in all */
  earlier: FloodSpanView[];
  earlierCount: number;
  /** what the row told before the latest server restart the flood (wave) went on across; null when it did not, or the detail says it malformed */
  beforeRestart: FloodRestartView | null;
  /**
   * a wave whose every source sent 1–2 SYNs (`detail.allFew: true`, board-flood-findings.ts): false for a
   * flood (its sources are few-SYN ones by definition, and the detail does not say it), a wave whose
   * sources were not, and a row without the field (before 2026-12-06) or with anything but `true`
   */
  allFew: boolean;
}

/**
 * A flood (wave) that went on across a server restart (`detail.beforeRestart`, board-recall.ts): the board
 * after it cannot tell whether a source had sent before, so before + since is an upper bound on its
 * distinct sources (the detail's `sources`).
 */
export interface FloodRestartView {
  /** its last SYN before the latest restart (ms) */
  to: number;
  /** its sources before the latest restart, and since (the detail's `sources` less those) */
  sources: number;
  since: number;
  /** the restarts it went on across (1 for a row written before they were counted) */
  restarts: number;
}

/** The most items of either list shown: the server keeps 5 bursts and 3 earlier floods; a detail with more is cut here, the rest counted as not kept. */
export const SPANS_SHOWN = 6;
/** The examples shown of each item. */
export const EXAMPLES_SHOWN = 3;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** One item of `episodes` or `earlier`, or null when it is not one. */
function spanOf(v: unknown): FloodSpanView | null {
  if (!isRecord(v)) return null;
  const { from, to, sources, examples, episodeCount } = v;
  if (typeof from !== 'number' || typeof to !== 'number' || !Number.isFinite(from) || !Number.isFinite(to) || to < from) return null;
  if (!isCount(sources)) return null;
  if (examples !== undefined && !(Array.isArray(examples) && examples.every((x) => typeof x === 'string'))) return null;
  if (episodeCount !== undefined && !(isCount(episodeCount) && episodeCount >= 1)) return null;
  const ips = ((examples ?? []) as string[]).map((x) => x.trim().split(/\s+/)[0] ?? '').filter((x) => x !== '');
  return { from, to, sources, examples: ips.slice(0, EXAMPLES_SHOWN), episodeCount: episodeCount ?? 1 };
}

/**
 * A list and its count: [] and 0 when both are absent, null when either is malformed or the count is under
 * the items given. A list longer than SPANS_SHOWN is cut as the server cuts it: bursts keep the first and
 * the latest (`firstAndLatest`), earlier floods the latest.
 */
function listOf(items: unknown, count: unknown, firstAndLatest: boolean): { items: FloodSpanView[]; count: number; cut: FloodSpanView[] } | null {
  if (items === undefined && count === undefined) return { items: [], count: 0, cut: [] };
  if (!Array.isArray(items)) return null;
  const spans = items.map(spanOf);
  if (spans.some((s) => s === null)) return null;
  const n = count === undefined ? spans.length : count;
  if (!isCount(n) || n < spans.length) return null;
  const all = spans as FloodSpanView[];
  if (all.length <= SPANS_SHOWN) return { items: all, count: n, cut: [] };
  if (!firstAndLatest) return { items: all.slice(-SPANS_SHOWN), count: n, cut: all.slice(0, -SPANS_SHOWN) };
  return { items: [all[0]!, ...all.slice(1 - SPANS_SHOWN)], count: n, cut: all.slice(1, 1 - SPANS_SHOWN) };
}

/**
 * The sources of the bursts not listed: the detail's `droppedSources` (0 when it kept every burst it
 * counted) and those of the bursts cut here; null when the detail does not say, or says it malformed.
 */
function droppedOf(v: unknown, given: { items: FloodSpanView[]; count: number; cut: FloodSpanView[] }): number | null {
  const kept = given.items.length + given.cut.length;
  const server = isCount(v) ? v : v === undefined && given.count === kept ? 0 : null;
  return server === null ? null : given.cut.reduce((n, s) => n + s.sources, server);
}

/**
 * `detail.beforeRestart` with the detail's `sources` (its total), or null when the row has none (it did
 * not go on across a restart, or an older server wrote it) or it is malformed: a `to` that is not a
 * finite time, `sources` that are not a whole count or exceed the total, `restarts` under 1.
 */
function restartOf(v: unknown, total: unknown): FloodRestartView | null {
  if (!isRecord(v) || !isCount(total)) return null;
  const { to, sources, restarts } = v;
  if (typeof to !== 'number' || !Number.isFinite(to)) return null;
  if (!isCount(sources) || sources > total) return null;
  if (restarts !== undefined && !(isCount(restarts) && restarts >= 1)) return null;
  return { to, sources, since: total - sources, restarts: restarts ?? 1 };
}

/**
 * The bursts and earlier floods of a finding of `detector` with `detail`: null for any other detector,
 * for a detail without either list or a restart it went on across (one burst and no flood before, or a row from an older server), and
 * for a malformed one (the page then shows its Why text alone). A wave's `allFew` alone shows nothing
 * more: its Why text says it in its first words ("19 sources of only 1–2 SYNs each").
 */
export function floodDetailOf(detector: string, detail: unknown): FloodDetailView | null {
  if (detector !== 'syn-flood' && detector !== 'syn-wave') return null;
  if (!isRecord(detail)) return null;
  const episodes = listOf(detail.episodes, detail.episodeCount, true);
  const earlier = listOf(detail.earlier, detail.earlierCount, false);
  if (episodes === null || earlier === null) return null;
  const beforeRestart = restartOf(detail.beforeRestart, detail.sources);
  if (episodes.items.length === 0 && earlier.items.length === 0 && beforeRestart === null) return null;
  return {
    kind: detector === 'syn-flood' ? 'flood' : 'wave',
    episodes: episodes.items,
    episodeCount: episodes.count,
    droppedSources: droppedOf(detail.droppedSources, episodes),
    earlier: earlier.items,
    earlierCount: earlier.count,
    beforeRestart,
    allFew: detector === 'syn-wave' && detail.allFew === true,
  };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `3 bursts · 1 earlier flood`: the disclosure's label, the counts in all (those not kept too). */
export function floodDetailLabel(v: FloodDetailView): string {
  const parts = [v.episodeCount > 0 ? plural(v.episodeCount, 'burst') : '', v.earlierCount > 0 ? plural(v.earlierCount, `earlier ${v.kind}`) : ''];
  return parts.filter((p) => p !== '').join(' · ');
}

/**
 * `… 3 more bursts between, not kept (41 sources)`: the bursts the detail did not keep, which lie between
 * its first and the latest ones (the list says it after its first item), with their sources when the
 * detail says them (`droppedSources`: in none of the bursts listed), or '' when every one is listed.
 */
export function burstsNotKeptText(count: number, shown: number, droppedSources: number | null = null): string {
  if (count <= shown) return '';
  const sources = droppedSources === null ? '' : ` (${plural(droppedSources, 'source')})`;
  return `… ${plural(count - shown, 'more burst')} between, not kept${sources}`;
}

/**
 * `Went on across a server restart: 400 sources before it (last SYN 2026-12-04 12:04:05 UTC), 50 since —
 * at most 450 distinct (a source on both sides is counted twice)` (`2 server restarts` … `before the latest`): `time` as spanTimeText's.
 */
export function restartLineText(r: FloodRestartView, time: (ms: number) => string): string {
  const across = r.restarts > 1 ? `${r.restarts} server restarts` : 'a server restart';
  const before = r.restarts > 1 ? 'before the latest' : 'before it';
  return `Went on across ${across}: ${plural(r.sources, 'source')} ${before} (last SYN ${time(r.to)} UTC), ${r.since} since — at most ${r.sources + r.since} distinct (a source on both sides is counted twice)`;
}

/**
 * What the wave's text says first of a wave of few-SYN sources (waveText's wording), said beside its lists
 * and restart line: '' for any other.
 */
export function allFewText(v: FloodDetailView): string {
  return v.allFew ? "Every source sent only 1–2 SYNs: too few for any one to be a finding of its own (probes sweeping many networks, or a spoofed flood's sources)" : '';
}

/**
 * `… 3 older floods before these, not kept`: the earlier floods (waves) the detail did not keep, older
 * than any it lists (the list says it at its top), or '' when every one is listed.
 */
export function earlierNotKeptText(count: number, shown: number, kind: 'flood' | 'wave'): string {
  return count > shown ? `… ${plural(count - shown, `older ${kind}`)} before these, not kept` : '';
}

/** `312 sources`, and an earlier flood's `in 2 bursts`. */
export function spanSourcesText(s: FloodSpanView): string {
  return `${plural(s.sources, 'source')}${s.episodeCount > 1 ? ` in ${s.episodeCount} bursts` : ''}`;
}

/**
 * `2026-12-04 15:20:16–15:24:02 UTC` (one day), `2026-12-04 23:58:00 – 2026-12-05 00:03:10 UTC` (two), a
 * single time when the span has none: `time` writes a time as `YYYY-MM-DD hh:mm:ss` in UTC (the page's
 * formatTime without its ms).
 */
export function spanTimeText(from: number, to: number, time: (ms: number) => string): string {
  const a = time(from);
  const b = time(to);
  if (a === b) return `${a} UTC`;
  const day = 86_400_000;
  return Math.floor(from / day) === Math.floor(to / day) && b.length > 11 ? `${a}–${b.slice(11)} UTC` : `${a} – ${b} UTC`;
}
