/**
 * A flood's episodes, and how a summed finding writes its examples and times. A flood that stops and
 * starts again within the hour (`quietUs`) stays one row; its text tells each episode: when it began
 * and ended, its sources and its examples. A flood back after an hour of quiet is a new flood in the
 * same row, whose text tells it and, under it, the victim's earlier floods (FloodHistory).
 */
import { MAX_DATE_MS } from '../../core/index.js';
import type { FlaggedHost } from './board-findings.js';
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
  /** the flood's sources before it began, and when the next one began (none: it is the latest): its own are the difference */
  before: number;
  after?: number;
  /** up to three of its sources */
  examples: Example[];
}

/** Capture time (µs) without a new source after which a flood's next source begins a new episode. */
export const EPISODE_GAP_US = 5 * 60e6;

/** The episodes a flood keeps: its first and the latest others (the text says how many there were in all). */
const EPISODES_KEPT = 5;

/** What the episodes need of a flood (board-findings.ts's group). */
export interface Flood {
  sources: number;
  firstSeen: number;
  examples: Example[];
  episodes: Episode[];
  episodeCount: number;
  /** the earlier floods against the same victim and port, each quiet `quietUs` before the next began (FloodHistory) */
  earlier: EarlierFlood[];
  earlierCount: number;
}

/** `h` (a source just summed into flood `g`, which had `before` sources) in its latest episode, or beginning one after a gap of EPISODE_GAP_US. */
export function episode(g: Flood, h: FlaggedHost, before: number): void {
  let e = g.episodes.at(-1);
  if (e === undefined || h.firstSeen - e.last > EPISODE_GAP_US) {
    if (e !== undefined) e.after = before;
    e = { first: h.firstSeen, last: h.lastSeen, before: e === undefined ? 0 : before, examples: [] };
    g.episodes.push(e);
    g.episodeCount++;
    if (g.episodes.length > EPISODES_KEPT) g.episodes.splice(1, 1);
  }
  e.first = Math.min(e.first, h.firstSeen);
  e.last = Math.max(e.last, h.lastSeen);
  if (e.examples.length < 3 && h.again !== true) e.examples.push({ ip: h.ip, score: h.score, dst: h.dst });
}

/** Each episode's span (µs), sources and examples. */
export function episodeSpans(g: Flood): { first: number; last: number; sources: number; examples: Example[] }[] {
  // the first episode began with the flood (its port's wave, taken back, may have begun it), and its
  // examples are the flood's own, which it took back from that wave with their sources
  return g.episodes.map((e, i) => ({ first: i === 0 ? Math.min(e.first, g.firstSeen) : e.first, last: e.last, sources: (e.after ?? g.sources) - e.before, examples: i === 0 ? g.examples.slice(0, 3) : e.examples }));
}

/** `; it came in 2 episodes …`: what a flood that stopped and started again did each time; '' for one episode. */
export function episodesText(g: Flood): string {
  if (g.episodeCount < 2) return '';
  const spans = episodeSpans(g);
  const shown = g.episodeCount > spans.length ? ` (the first and the latest ${spans.length - 1} shown)` : '';
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

  /** Flood `g` (its latest SYN `last`) against `key` went quiet. */
  remember(key: string, g: Flood & { last: number }): void {
    const spans = episodeSpans(g);
    const first = Math.min(g.firstSeen, ...spans.map((e) => e.first));
    const h = this.m.touch(key, g.last, () => ({ last: g.last, floods: [], count: 0 }));
    h.floods.push({ first, last: Math.max(first, g.last), sources: g.sources, examples: g.examples.slice(0, 3), episodeCount: Math.max(1, g.episodeCount) });
    h.floods.sort((a, b) => a.first - b.first);
    if (h.floods.length > EARLIER_KEPT) h.floods.shift();
    h.count++;
  }

  /** The earlier floods against `key` a flood beginning at `time` (µs) tells. */
  of(key: string, time: number): { earlier: EarlierFlood[]; earlierCount: number } {
    const h = this.m.peek(key, time);
    return { earlier: h?.floods.slice() ?? [], earlierCount: h?.count ?? 0 };
  }
}

/** `; before it, after an hour or more without a source, 1 earlier flood against it: …`; '' for none. */
export function earlierText(g: Flood, quietUs: number): string {
  if (g.earlierCount === 0) return '';
  const n = g.earlierCount === 1 ? '1 earlier flood' : `${g.earlierCount} earlier floods`;
  const shown = g.earlierCount > g.earlier.length ? ` (the latest ${g.earlier.length} shown)` : '';
  const each = g.earlier.map((e) => `from ${timeText(e.first)} to ${timeText(e.last)}, ${e.sources} ${e.sources === 1 ? 'source' : 'sources'}${e.episodeCount > 1 ? ` in ${e.episodeCount} episodes` : ''}${e.examples.length === 0 ? '' : `, e.g. ${exampleText(e.examples).join(', ')}`}`);
  return `; before it, after ${quietText(quietUs)} or more without a source, ${n} against it${shown}: ${each.join('; ')}`;
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
