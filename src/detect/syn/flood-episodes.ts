/**
 * A flood's episodes, and how a summed finding writes its examples and times. A flood that stops and
 * starts again within the hour (`quietUs`) stays one row; its text tells each episode: when it began
 * and ended, its sources and its examples. Episodes follow the sources' capture times, whatever order
 * they join in. A flood back after an hour of quiet is a new flood in the same row, whose text tells it
 * and, under it, the victim's earlier floods (FloodHistory).
 */
import { MAX_DATE_MS } from '../../core/index.js';
import { Stretches } from '../findings/stretches.js';

export interface Example {
  ip: string;
  score: number;
  dst: string;
}

/** `198.51.100.7 0.991, …`: a group's examples as its text and detail give them. */
export const exampleText = (xs: readonly Example[]): string[] => xs.map((x) => `${x.ip} ${x.score.toFixed(3)}`);

/**
 * A stretch of a flood's sources with no gap of EPISODE_GAP_US between them. A second flood against the
 * same victim within the hour (`quietUs`) joins the first one's row, whose text said only "420 sources
 * since" the first one's start, with the first one's examples: the second's start, sources and examples
 * were nowhere.
 */
export interface Episode {
  /** first and latest SYN of its sources (µs) */
  first: number;
  last: number;
  /** the flood's sources it counts */
  sources: number;
  /** up to three of its sources */
  examples: Example[];
}

/** Capture time (µs) without a new source after which a flood's next source begins a new episode. */
export const EPISODE_GAP_US = 5 * 60e6;

/** The episodes a flood keeps: its first and the latest others (the text says how many there were in all). */
const EPISODES_KEPT = 5;

/** What the episodes need of a source summed into a flood (board-findings.ts's FlaggedHost). */
export interface EpisodeSource {
  ip: string;
  score: number;
  dst: string;
  /** its first and latest SYN (µs) */
  firstSeen: number;
  lastSeen: number;
  /** summed before */
  again?: boolean;
}

/** What the episodes need of a flood (board-groups.ts's group). */
export interface Flood {
  sources: number;
  firstSeen: number;
  examples: Example[];
  /** in capture-time order, each more than EPISODE_GAP_US after the one before */
  episodes: Episode[];
  episodeCount: number;
  /**
   * the episodes no longer kept (between the first and the latest kept), if any: their span, and the
   * sources counted in them (each source is counted once, in the episode it first came in, so these are
   * distinct, and none of them is in a kept episode's count)
   */
  dropped?: { first: number; last: number; sources: number };
  /** the earlier floods against the same victim and port, each quiet `quietUs` before the next began (FloodHistory) */
  earlier: EarlierFlood[];
  earlierCount: number;
}

/**
 * `h`, a source just summed into flood `g` that added `added` to its sources, in the episode of its
 * capture time: the one its SYNs fall within EPISODE_GAP_US of (several such become one), else a new one
 * where its time puts it. Episodes followed the order sources joined in: a flush's sources come in the
 * order their hosts last changed, and a later flush may bring earlier SYNs (a backlog), which stretched
 * the latest episode back over the ones before it.
 */
export function episode(g: Flood, h: EpisodeSource, added: number): void {
  // where the source is now: a host summed before (`again`) by its latest SYN (its first is in an episode
  // already, and its span would bridge every episode since), and none by a SYN more than a gap before its
  // latest (a host's two SYNs half an hour apart are not half an hour of flood)
  const hFirst = h.again === true ? h.lastSeen : Math.max(h.firstSeen, h.lastSeen - EPISODE_GAP_US);
  const near = (e: { first: number; last: number }): boolean => hFirst - e.last <= EPISODE_GAP_US && e.first - h.lastSeen <= EPISODE_GAP_US;
  const es = g.episodes;
  const hit = es.flatMap((e, i) => (near(e) ? [i] : []));
  if (hit.length === 0 && g.dropped !== undefined && near(g.dropped) && h.lastSeen > es[0]!.last) {
    // within the episodes no longer kept: counted in none, as they are
    g.dropped.first = Math.min(g.dropped.first, hFirst);
    g.dropped.last = Math.max(g.dropped.last, h.lastSeen);
    g.dropped.sources += added;
    return;
  }
  let e: Episode;
  // a source counted before begins no episode: it would be one of "0 sources"
  if (hit.length === 0 && h.again === true && g.episodeCount > 0) return;
  if (hit.length === 0) {
    // a flood's first episode takes the span and examples of the sources it took back from its port's
    // wave, which began it (the flood's `firstSeen` and `examples` hold them as it begins)
    const begins = g.episodeCount === 0;
    e = { first: begins ? Math.min(hFirst, g.firstSeen) : hFirst, last: h.lastSeen, sources: 0, examples: begins ? g.examples.slice(0, 3) : [] };
    const at = es.findIndex((x) => x.first > h.lastSeen);
    es.splice(at === -1 ? es.length : at, 0, e);
    g.episodeCount++;
    if (es.length > EPISODES_KEPT) {
      const [gone] = es.splice(1, 1);
      g.dropped = { first: Math.min(g.dropped?.first ?? Infinity, gone!.first), last: Math.max(g.dropped?.last ?? -Infinity, gone!.last), sources: (g.dropped?.sources ?? 0) + gone!.sources };
      if (gone === e) {
        g.dropped.sources += added;
        return;
      }
    }
  } else {
    // one SYN span near several episodes bridges them: they were one all along
    const [i] = hit;
    const joined = es.splice(i!, hit.length);
    e = joined.reduce((a, x) => ({ first: Math.min(a.first, x.first), last: Math.max(a.last, x.last), sources: a.sources + x.sources, examples: [...a.examples, ...x.examples].slice(0, 3) }));
    es.splice(i!, 0, e);
    g.episodeCount -= hit.length - 1;
  }
  e.first = Math.min(e.first, hFirst);
  e.last = Math.max(e.last, h.lastSeen);
  e.sources += added;
  if (e.examples.length < 3 && h.again !== true && !e.examples.some((x) => x.ip === h.ip)) e.examples.push({ ip: h.ip, score: h.score, dst: h.dst });
}

/** `; it came in 2 episodes …`: what a flood that stopped and started again did each time; '' for one episode. */
export function episodesText(g: Flood): string {
  if (g.episodeCount < 2) return '';
  const spans = g.episodes;
  const notShown = g.episodeCount - spans.length;
  const dropped = g.dropped === undefined ? '' : `; the ${notShown} not shown had ${g.dropped.sources} ${g.dropped.sources === 1 ? 'source' : 'sources'}`;
  const shown = notShown > 0 ? ` (the first and the latest ${spans.length - 1} shown${dropped})` : '';
  const each = spans.map((e) => `from ${timeText(e.first)} to ${timeText(e.last)}, ${e.sources} ${e.sources === 1 ? 'source' : 'sources'}${e.examples.length === 0 ? '' : `, e.g. ${exampleText(e.examples).join(', ')}`}`);
  return `; it came in ${g.episodeCount} episodes, each after ${EPISODE_GAP_US / 60e6} minutes or more without a new source${shown}: ${each.join('; ')}`;
}

/** A flood against the same victim and port that ended, quiet for `quietUs`, before a later one began: what its row last told. */
export interface EarlierFlood {
  first: number;
  last: number;
  sources: number;
  examples: Example[];
  episodeCount: number;
}

/** Earlier floods a flood's row tells: the latest (the text says how many there were in all). */
const EARLIER_KEPT = 3;

/**
 * Per victim and port, the floods that went quiet, for a later flood against it to tell (24 h of capture
 * time after the latest one's last SYN, as the board keeps its findings' hosts; at most 10,000 victims).
 * A flood back after an hour of quiet is a new flood, counted afresh, in the same row; the row kept the
 * first one's text when the second scored lower (the store keeps the highest score's), and when it
 * did not, nothing in it said there had been an earlier one.
 */
export class FloodHistory {
  private readonly m = new Stretches<{ last: number; floods: EarlierFlood[]; count: number }>(24 * 3600e6);

  /** `quietUs`: capture time without a source after which a flood is over (the board's) */
  constructor(private readonly quietUs: number) {}

  /**
   * Flood `g` (its latest SYN `last`) against `key` went quiet. A flood it spans is itself as recalled
   * before it went on across a restart (board-recall.ts `recalledGroup`): this takes its place.
   */
  remember(key: string, g: Flood & { last: number }): void {
    const first = Math.min(g.firstSeen, ...g.episodes.map((e) => e.first));
    const h = this.m.touch(key, g.last, () => ({ last: g.last, floods: [], count: 0 }));
    const within = h.floods.filter((f) => f.first >= first && f.last <= g.last);
    h.floods = h.floods.filter((f) => !within.includes(f));
    h.count -= within.length;
    h.floods.push({ first, last: Math.max(first, g.last), sources: g.sources, examples: g.examples.slice(0, 3), episodeCount: Math.max(1, g.episodeCount) });
    h.floods.sort((a, b) => a.first - b.first);
    if (h.floods.length > EARLIER_KEPT) h.floods.shift();
    h.count++;
  }

  /**
   * A flood against `key` that a stored row told, and the earlier ones it told (`count` in all), for a
   * board that starts (board-recall.ts): its first flood then tells them, as the board before the
   * restart would have. Only into a victim with none remembered yet.
   */
  recall(key: string, flood: EarlierFlood, earlier: readonly EarlierFlood[], count: number): void {
    if (this.m.peek(key, flood.last) !== undefined) return;
    const h = this.m.touch(key, flood.last, () => ({ last: flood.last, floods: [], count: 0 }));
    h.floods = [...earlier, flood].sort((a, b) => a.first - b.first).slice(-EARLIER_KEPT);
    h.count = Math.max(count, earlier.length) + 1;
  }

  /**
   * The earlier floods against `key` a flood beginning at `time` (µs) tells. One that ended `quietUs` or
   * less before is not an earlier flood but this one going on (recalled across a restart, or let go past
   * the board's 10,000 groups): it is left out. `>` as Stretches starts a flood afresh.
   */
  of(key: string, time: number): { earlier: EarlierFlood[]; earlierCount: number } {
    const h = this.m.peek(key, time);
    if (h === undefined) return { earlier: [], earlierCount: 0 };
    const earlier = h.floods.filter((f) => time - f.last > this.quietUs);
    return { earlier, earlierCount: h.count - (h.floods.length - earlier.length) };
  }
}

/**
 * `; before it, after an hour or more without a source, 1 earlier flood against it: …` (a wave's: `1
 * earlier wave to the port`); '' for none.
 */
export function earlierText(g: Flood, quietUs: number, kind: 'flood' | 'wave' = 'flood'): string {
  if (g.earlierCount === 0) return '';
  const n = g.earlierCount === 1 ? `1 earlier ${kind}` : `${g.earlierCount} earlier ${kind}s`;
  const against = kind === 'flood' ? 'against it' : 'to the port';
  const shown = g.earlierCount > g.earlier.length ? ` (the latest ${g.earlier.length} shown)` : '';
  const each = g.earlier.map((e) => `from ${timeText(e.first)} to ${timeText(e.last)}, ${e.sources} ${e.sources === 1 ? 'source' : 'sources'}${e.episodeCount > 1 ? ` in ${e.episodeCount} episodes` : ''}${e.examples.length === 0 ? '' : `, e.g. ${exampleText(e.examples).join(', ')}`}`);
  return `; before it, after ${quietText(quietUs)} or more without a source, ${n} ${against}${shown}: ${each.join('; ')}`;
}

/** `an hour`, `2 hours`, `30 minutes`: a quiet time (µs). */
function quietText(us: number): string {
  if (us === 3600e6) return 'an hour';
  return us % 3600e6 === 0 ? `${us / 3600e6} hours` : `${Math.round(us / 60e6)} minutes`;
}

/**
 * A capture time (µs) as `2026-12-03 15:40:09 UTC`, as URL findings write theirs; one no Date holds as its
 * number, so that one odd time never throws away a flush's findings.
 */
export function timeText(us: number): string {
  const ms = Math.floor(us / 1000);
  return Math.abs(ms) <= MAX_DATE_MS ? `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC` : `${us} µs`;
}
