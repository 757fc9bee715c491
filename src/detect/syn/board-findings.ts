/**
 * Which of the board's flagged hosts become findings of their own, and which are summed. An operator can
 * triage a few dozen rows a minute, not thousands: a spoofed SYN flood's sources (1–2 SYNs each) are
 * summed per victim into one `syn-flood` finding once the victim has FLOOD_SOURCES of them (held within
 * `fewPerMinute`, or past it), and any other hosts past the budgets (a botnet's scanning wave, a distributed scan, few-SYN
 * sources spread over many victims) per destination port into one `syn-wave` finding. Budgets count
 * per minute of capture time (each host's own); the board still lists every host. A summed finding tells
 * the whole flood or wave, every source since it began, until it has been quiet for `quietUs`. Once a
 * victim is a flood, or a port has had FLOOD_SOURCES brief sources (few SYNs, or a few to that port
 * alone), later brief sources join the flood or the port's wave without a row of their own. A wave of one
 * victim's brief sources waits a minute before it is a row, since a flood may yet take it back; so does
 * a few-SYN source within the budget (FEW_HOLD_US), since a flood may yet show it was one of its spoofed
 * sources.
 */
import type { NewFinding } from '../detector.js';
import type { BoardSource } from './board-types.js';
import { episode, exampleText, FloodHistory, timeText } from './flood-episodes.js';
import { FEW_SYNS, FLOOD_SOURCES, WAVE_MEMBER_SYNS, type Group } from './board-groups.js';
import { floodDetail, floodText, groupEvidence, waveText } from './board-flood-findings.js';
import { Stretches } from '../findings/stretches.js';
import { recalledGroup, type RecalledFlood } from './board-recall.js';

/**
 * Sources of 1–FEW_SYNS SYNs a port's wave needs, when they are all it has, before it is a row: one
 * probe of telnet is the Internet's background, five to one port within the hour a sweep (a UX review
 * found "1 source of only 1–2 SYNs each to port 23" a row not worth its time). The Hosts board lists
 * each of them still.
 */
export const FEW_WAVE_SOURCES = 5;

/** The keys of a host's flood (its victim and port) and wave (its port) among the groups. */
const floodKey = (h: { dst: string; dport: number }): string => `f|${h.dst}|${h.dport}`;
const waveKey = (h: { dport: number }): string => `w|${h.dport}`;
/** A victim and port: whose few-SYN sources are counted towards a flood. */
const victimKey = (h: { dst: string; dport: number }): string => `${h.dst}|${h.dport}`;

/** What the budget needs of a flagged host (times in µs of capture time). */
export interface FlaggedHost {
  ip: string;
  score: number;
  count: number;
  /** distinct destination ports (unknown: treated as more than one) */
  ports?: number;
  firstSeen: number;
  lastSeen: number;
  dst: string;
  dport: number;
  /** the board summed this host before: it widens its group's span and score, and is not counted again */
  again?: boolean;
}

/** Victims whose few-SYN sources a wave counts apart (a flood takes its own back); past them, not counted. */
const VICTIMS_TRACKED = 256;

/**
 * Capture time (µs) a wave whose sources are all brief sources of one victim waits before it is a row:
 * a flood's first sources past the budget, before its victim has FLOOD_SOURCES, go to the port's wave,
 * and the flood takes them back if it comes within this time.
 */
export const WAVE_HOLD_US = 60e6;

/**
 * Capture time (µs) past its latest SYN that a few-SYN source within the budget waits before it is a row
 * of its own: a flood's first sources used to be rows at once (the demo's flood made one `syn-flood` row
 * and 20 rows of "1 SYN to 1 port on 1 host", one per spoofed address), and the flood takes them if its
 * victim has FLOOD_SOURCES few-SYN sources within this time.
 */
export const FEW_HOLD_US = 60e6;

/** A few-SYN source within the budget, waiting (FEW_HOLD_US); `minute` is the budget it took, given back if a flood takes it. */
interface HeldSource {
  h: FlaggedHost;
  minute: { all: number; few: number };
  brief: boolean;
}

/** What became of a held few-SYN source (`release`): a row of its own (the caller explains it) or summed into its flood or wave. */
export interface Released {
  ip: string;
  own: boolean;
}

export interface FindingsBudgetOptions {
  threshold: number;
  modelVersion: string;
  /**
   * hosts of 1–2 SYNs reported one by one per minute, each held FEW_HOLD_US first (default 0: none; such
   * a host shows no behaviour of its own, and each is summed into its victim's flood or its port's wave)
   */
  fewPerMinute?: number;
  /** hosts reported one by one per minute in all (default 60) */
  perMinute?: number;
  /** capture time (µs) without a summed source after which a flood or wave starts afresh (default one hour) */
  quietUs?: number;
  /** floods and waves the findings store holds, told as earlier ones by the next against the same victim or port (board-recall.ts) */
  recall?: readonly RecalledFlood[];
}

export class FindingsBudget {
  readonly fewPerMinute: number;
  readonly perMinute: number;
  /** per minute of capture time (of the hosts' latest SYNs), the hosts reported one by one: all, and few-SYN ones */
  private readonly minutes = new Map<number, { all: number; few: number }>();
  /** every flood and wave since it was last quiet (capture time, µs) */
  private readonly groups: Stretches<Group>;
  /** per victim and port, its few-SYN sources past the budget (capture time, µs) */
  private readonly victims: Stretches<{ last: number; sources: number }>;
  /** per destination port, its brief sources reported one by one (capture time, µs) */
  private readonly briefRows: Stretches<{ last: number; sources: number }>;
  /** the groups a source joined in this flush */
  private touched = new Set<Group>();
  /** waves of one victim's brief sources, not yet rows (WAVE_HOLD_US) */
  private held = new Set<Group>();
  /** few-SYN sources within the budget, not yet rows (FEW_HOLD_US), by address; at most the few-SYN budget of the minutes held */
  private readonly heldSources = new Map<string, HeldSource>();
  /** per victim and port (`victimKey`), its held few-SYN sources */
  private readonly heldPerVictim = new Map<string, number>();
  /** per victim and port, its floods that went quiet */
  private readonly history: FloodHistory;
  readonly quietUs: number;
  private now = 0;

  constructor(private readonly o: FindingsBudgetOptions) {
    this.fewPerMinute = o.fewPerMinute ?? 0;
    this.perMinute = o.perMinute ?? 60;
    this.quietUs = o.quietUs ?? 3600e6;
    this.history = new FloodHistory(this.quietUs);
    // a group dropped before it was ever a row (a held wave gone quiet or pushed out) is a row as it goes;
    // a flood or wave that was one is remembered, for its victim's (port's) next one to tell
    this.groups = new Stretches(this.quietUs, 10_000, (g) => {
      if (!g.shown) this.touched.add(g);
      else this.history.remember(g.kind === 'flood' ? floodKey(g) : waveKey(g), g);
    });
    this.victims = new Stretches(this.quietUs);
    this.briefRows = new Stretches(this.quietUs);
    for (const r of o.recall ?? []) {
      const key = r.kind === 'flood' ? floodKey(r) : waveKey(r);
      this.history.recall(key, r.flood, r.earlier, r.earlierCount);
      // a flood (wave) the server restarted in goes on from what its row told, if a source comes within
      // `quietUs` of its last SYN (Stretches: a source later starts one afresh, and this one is remembered)
      if (this.groups.peek(key, r.flood.last) === undefined) this.groups.touch(key, r.flood.last, () => recalledGroup(r));
      if (r.kind === 'flood') this.victims.touch(victimKey(r), r.flood.last, () => ({ last: r.flood.last, sources: r.flood.sources }));
    }
  }

  /** A flush starts at capture time `now` (µs). */
  begin(now: number): void {
    this.now = now;
    this.touched = new Set();
  }

  /**
   * True when `h` is a finding of its own now (the caller explains it); otherwise it joins its group, or,
   * a few-SYN source within the budget, it is held (`holds`) until `release` says what it is. A
   * few-SYN source joins at once, whatever the minute's budget, when its victim is already a flood or
   * its port a wave of FLOOD_SOURCES: an hour-long flood or a botnet's wave is one row, not twenty
   * more every minute.
   */
  admit(h: FlaggedHost): boolean {
    if (this.heldSources.has(h.ip)) return false;
    const few = h.count <= FEW_SYNS;
    const m = this.minuteOf(h.lastSeen);
    const brief = few || (h.ports === 1 && h.count < WAVE_MEMBER_SYNS);
    if (!(brief && this.established(h, few)) && m.all < this.perMinute && (!few || m.few < this.fewPerMinute)) {
      m.all++;
      if (few) m.few++;
      if (few) this.hold({ h, minute: m, brief });
      else this.countBrief(h, brief);
      return !few;
    }
    this.join(h, few);
    return false;
  }

  /** Whether `ip` is a few-SYN source held until `release` says whether it is a row of its own. */
  holds(ip: string): boolean {
    return this.heldSources.has(ip);
  }

  /**
   * The held few-SYN sources decided at this flush: those whose victim now has FLOOD_SOURCES few-SYN
   * sources (held or summed) join its flood (or its port's wave, as `admit` would put them) and give their
   * budget back; those held FEW_HOLD_US of capture time past their latest SYN without that are rows of
   * their own. `final` (the source has ended): every one is decided now. Call before `summed()`.
   */
  release(final = false): Released[] {
    const out: Released[] = [];
    for (const [ip, x] of this.heldSources) {
      const key = victimKey(x.h);
      const flood = this.groups.peek(floodKey(x.h), x.h.lastSeen) !== undefined || (this.victims.peek(key, x.h.lastSeen)?.sources ?? 0) + (this.heldPerVictim.get(key) ?? 0) >= FLOOD_SOURCES;
      if (!flood && !final && this.now - x.h.lastSeen < FEW_HOLD_US) continue;
      this.heldSources.delete(ip);
      this.unhold(key);
      if (flood) {
        x.minute.all--;
        x.minute.few--;
        this.join(x.h, true);
      } else this.countBrief(x.h, x.brief);
      out.push({ ip, own: !flood });
    }
    return out;
  }

  private hold(x: HeldSource): void {
    this.heldSources.set(x.h.ip, x);
    const key = victimKey(x.h);
    this.heldPerVictim.set(key, (this.heldPerVictim.get(key) ?? 0) + 1);
  }

  private unhold(key: string): void {
    const n = (this.heldPerVictim.get(key) ?? 0) - 1;
    if (n > 0) this.heldPerVictim.set(key, n);
    else this.heldPerVictim.delete(key);
  }

  /** A brief host reported one by one counts towards its port's wave being established. */
  private countBrief(h: FlaggedHost, brief: boolean): void {
    if (brief && h.again !== true) this.briefRows.touch(String(h.dport), h.lastSeen, () => ({ last: h.lastSeen, sources: 0 })).sources++;
  }

  /** `h` summed into its victim's flood or its port's wave (it is not a row of its own). */
  private join(h: FlaggedHost, few: boolean): void {
    // a few-SYN source is a flood's once its victim has FLOOD_SOURCES of them past the budget or held;
    // until then it joins the port's wave: a botnet probing every address of a network once or twice is
    // one row for the port, not a "flood" row for each address it happened to hit
    let victimSources = 0;
    if (few) {
      const key = victimKey(h);
      const v = this.victims.touch(key, h.lastSeen, () => ({ last: h.lastSeen, sources: 0 }));
      if (h.again !== true) v.sources++;
      // the held ones are counted: a flood's first sources, within the budget, are its own as well
      victimSources = v.sources + (this.heldPerVictim.get(key) ?? 0);
    }
    // a flood draws its port's brief sources to one victim; a wave spreads them over many, and a victim
    // that has FLOOD_SOURCES only because the wave is large stays in the wave
    const flood =
      victimSources >= FLOOD_SOURCES &&
      (this.groups.peek(floodKey(h), h.lastSeen) !== undefined || 2 * victimSources >= (this.groups.peek(waveKey(h), h.lastSeen)?.sources ?? 0));
    const kind = flood ? 'flood' : 'wave';
    const key = flood ? floodKey(h) : waveKey(h);
    const g = this.groups.touch(key, h.lastSeen, () => ({ kind, dst: h.dst, dport: h.dport, sources: 0, maxScore: 0, examples: [], firstSeen: h.firstSeen, last: h.lastSeen, began: this.now, victim: few ? h.dst : null, shown: false, allFew: few, worthy: false, victims: new Map(), episodes: [], episodeCount: 0, ...this.history.of(key, h.lastSeen) }));
    const before = g.sources;
    this.touched.add(g);
    if (flood) this.takeBack(h, g);
    else if (g.victim !== null && (!few || g.victim !== h.dst)) g.victim = null;
    if (!few) g.allFew = false;
    // a flood counts every few-SYN source its victim had past the budget, those the port's wave took before it was one
    if (flood) g.sources = Math.max(g.sources, victimSources);
    else if (h.again !== true || g.sources === 0) {
      g.sources++;
      if (few && (g.victims.has(h.dst) || g.victims.size < VICTIMS_TRACKED)) g.victims.set(h.dst, (g.victims.get(h.dst) ?? 0) + 1);
    }
    g.maxScore = Math.max(g.maxScore, h.score);
    if (g.examples.length < 5) g.examples.push({ ip: h.ip, score: h.score, dst: h.dst });
    g.firstSeen = Math.min(g.firstSeen, h.firstSeen);
    if (flood) episode(g, h, g.sources - before);
  }

  /**
   * The budget of the capture minute of `t` (µs). It follows the hosts' own time, not the flush's, so
   * that how a replay's SYNs happen to fall into flushes does not change how many hosts are rows; the
   * last hour of minutes is kept.
   */
  private minuteOf(t: number): { all: number; few: number } {
    const minute = Math.floor(t / 60e6);
    let m = this.minutes.get(minute);
    if (m === undefined) {
      m = { all: 0, few: 0 };
      this.minutes.set(minute, m);
      if (this.minutes.size > 60) this.minutes.delete(this.minutes.keys().next().value!);
    }
    return m;
  }

  /**
   * A flood takes back its port's wave when that wave, never a row, held only this victim's brief sources:
   * the flood already counts them, and takes their span, score and examples.
   */
  private takeBack(h: FlaggedHost, flood: Group): void {
    const key = waveKey(h);
    const w = this.groups.peek(key, h.lastSeen);
    if (w === undefined || w.shown) return;
    if (w.victim !== h.dst) {
      // a wave of several victims' brief sources, not yet a row: the flood takes this victim's out of it
      // (the demo's flood gave a wave row of its own first 19 sources beside the flood's, since the wave
      // had one other probe)
      const n = w.victims.get(h.dst) ?? 0;
      if (n === 0) return;
      w.victims.delete(h.dst);
      w.sources -= n;
      flood.examples = [...w.examples.filter((x) => x.dst === h.dst), ...flood.examples].slice(0, 5);
      w.examples = w.examples.filter((x) => x.dst !== h.dst);
      if (w.sources > 0) return;
    } else {
      flood.firstSeen = Math.min(flood.firstSeen, w.firstSeen);
      flood.maxScore = Math.max(flood.maxScore, w.maxScore);
      flood.examples = [...w.examples, ...flood.examples].slice(0, 5);
    }
    this.groups.delete(key);
    this.touched.delete(w);
    this.held.delete(w);
  }

  /**
   * A brief source (few SYNs, or under WAVE_MEMBER_SYNS to one port) joins a group already there: a
   * few-SYN source whose victim is a flood, or any brief source whose port has had FLOOD_SOURCES brief
   * sources, summed or reported one by one (neither quiet): a slow wave, a bot a minute, is a row after
   * its first twenty, not one a minute for as long as it lasts.
   */
  private established(h: FlaggedHost, few: boolean): boolean {
    if (few && this.groups.peek(floodKey(h), h.lastSeen) !== undefined) return true;
    const summed = this.groups.peek(waveKey(h), h.lastSeen)?.sources ?? 0;
    return summed + (this.briefRows.peek(String(h.dport), h.lastSeen)?.sources ?? 0) >= FLOOD_SOURCES;
  }

  /**
   * The summed findings of the groups this flush added to: one per victim (floods) or per destination
   * port (waves), each with everything summed since it began, so its text and score only grow. A wave of
   * one victim's brief sources waits up to WAVE_HOLD_US of capture time (a flood may take it back); one
   * that has waited long enough is a row at the next flush, added to or not.
   */
  summed(): NewFinding[] {
    for (const g of this.held) this.touched.add(g);
    // a group's wait starts when it could first be a row: a lone probe's wave, quiet for minutes, took the
    // demo flood's first sources and was a row at once, before the flood could take them back
    const worth = [...this.touched].filter((g) => {
      const w = this.worthARow(g);
      if (w && !g.worthy) g.began = this.now;
      g.worthy = w;
      return w;
    });
    const rows = worth.filter((g) => {
      // a wave of brief sources alone waits: a flood may yet take its sources back (all of them, when
      // they are one victim's; its own victim's, when they are several victims')
      const wait = g.kind === 'wave' && !g.shown && ((g.victim !== null && g.sources < FLOOD_SOURCES) || g.allFew) && this.now - g.began < WAVE_HOLD_US;
      if (wait) this.held.add(g);
      else this.held.delete(g);
      return !wait;
    });
    this.touched = new Set();
    return this.rows(rows);
  }

  /** Every held wave as a row now (the source has ended: no flood will come to take them back). */
  settle(): NewFinding[] {
    const rows = [...this.held].filter((g) => this.worthARow(g));
    this.held = new Set();
    return this.rows(rows);
  }

  /** A wave of few-SYN sources alone is a row from FEW_WAVE_SOURCES of them (one shown stays one). */
  private worthARow(g: Group): boolean {
    return g.kind === 'flood' || g.shown || !g.allFew || g.sources >= FEW_WAVE_SOURCES;
  }

  private rows(groups: readonly Group[]): NewFinding[] {
    const t = this.o.threshold;
    return groups.map((g) => {
      g.shown = true;
      const flood = g.kind === 'flood';
      const entity = flood ? `ip:${g.dst}` : `port:${g.dport}`;
      const since = timeText(g.firstSeen);
      const summary = flood ? floodText(g, t, since, this.quietUs) : waveText(g, t, since, this);
      return {
        detector: flood ? 'syn-flood' : 'syn-wave',
        entity,
        score: g.maxScore,
        threshold: t,
        modelVersion: this.o.modelVersion,
        time: Math.floor(g.last / 1000),
        // the row's first seen: the flood's (wave's) first SYN, not its first record's last one
        ...firstSeenOf(g.firstSeen, g.last),
        explanation: { summary, detail: { sources: g.sources, dport: g.dport, examples: exampleText(g.examples), ...floodDetail(g) } },
        evidence: { query: groupEvidence(g), ...evidenceSpan(g.firstSeen, g.last) },
        // a flood's (wave's) text tells the one now and its victim's (port's) earlier ones: it is the row's,
        // whatever its score (a wave back after an hour's quiet at a lower score kept the first one's text)
        latest: true,
      };
    });
  }
}

/**
 * A SYN finding's `firstSeen` (ms) for SYNs first and last seen at these capture times (µs): none (the
 * store takes its time) where the first is no time at all or after the last.
 */
export function firstSeenOf(firstUs: number, lastUs: number): { firstSeen?: number } {
  const first = Math.floor(firstUs / 1000);
  return Number.isFinite(first) && first <= Math.floor(lastUs / 1000) ? { firstSeen: first } : {};
}

/**
 * A SYN finding's evidence span (ms; `to` exclusive) for SYNs first and last seen at these capture times
 * (µs): from the start of the first one's second to a second past the last. The span used to end at the
 * last SYN's millisecond: empty for a host of one SYN (from = to), and it missed the finding's own
 * nml-detect line and log lines whose times are cut to the second.
 */
export function evidenceSpan(firstUs: number, lastUs: number): { from: number; to: number } {
  return { from: Math.floor(firstUs / 1e6) * 1000, to: Math.floor(lastUs / 1000) + 1000 };
}

/**
 * The findings with the board's source (the interface captured or the capture replayed) in their
 * evidence, so that `nml findings list` and the API say where each came from; as they are on a board
 * nothing feeds (tests).
 */
export function withSource(findings: NewFinding[], source: BoardSource | null): NewFinding[] {
  if (source === null) return findings;
  const s = { kind: source.kind, name: source.name };
  return findings.map((f) => ({ ...f, evidence: { ...f.evidence, source: s } }));
}
