/**
 * The floods and waves a restarted board recalls from the findings store. The board kept its victims'
 * (ports') floods that went quiet in memory only, so after a restart the next flood against a victim
 * told none: its row's text and `detail.earlier`, written anew (`latest`), lost the floods the row had
 * told. Each stored `syn-flood` (`syn-wave`) row gives back the flood it told and the earlier ones
 * under it (FloodHistory.recall). A detail that is not as this server writes it recalls nothing.
 */
import type { Finding } from '../detector.js';
import { FINDINGS_PAGE_MAX } from '../findings/query.js';
import type { FindingsStore } from '../findings/store.js';
import type { EarlierFlood, Episode, Example } from './flood-episodes.js';
import type { Group } from './board-groups.js';

/** A flood (wave) a stored row told, with the earlier ones it told under it (times in µs). */
export interface RecalledFlood {
  kind: 'flood' | 'wave';
  /** the victim (a wave's: '') */
  dst: string;
  dport: number;
  flood: EarlierFlood;
  earlier: EarlierFlood[];
  /** how many earlier ones the row counted, those it no longer listed too */
  earlierCount: number;
  /** the flood's episodes the row kept (`detail.episodes`; none when it had one) */
  episodes: Episode[];
  /** a wave's every source had 1–2 SYNs (`detail.allFew`; false for a row from before it was written) */
  allFew: boolean;
  /** the restarts the flood had gone on across when the row was written (`detail.beforeRestart.restarts`; 1 for a row from before the count) */
  restarts: number;
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
const time = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** `198.51.100.7 0.991` (exampleText's form) back to an example; null for anything else. */
function example(v: unknown, dst: string): Example | null {
  if (typeof v !== 'string') return null;
  const m = /^(\S+) (\d(?:\.\d+)?)$/.exec(v);
  return m === null ? null : { ip: m[1]!, score: Number(m[2]), dst };
}

function examples(v: unknown, dst: string): Example[] {
  return Array.isArray(v) ? v.slice(0, 3).flatMap((x) => example(x, dst) ?? []) : [];
}

/** One earlier flood of a row's `detail.earlier` (ms), or null. */
function earlierOf(v: unknown, dst: string): EarlierFlood | null {
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Record<string, unknown>;
  const from = time(e['from']);
  const to = time(e['to']);
  const sources = count(e['sources']);
  if (from === null || to === null || to < from || sources === null) return null;
  return { first: from * 1000, last: to * 1000, sources, examples: examples(e['examples'], dst), episodeCount: Math.max(1, count(e['episodeCount']) ?? 1) };
}

/** One episode of a row's `detail.episodes` (ms), or null. */
function episodeOf(v: unknown, dst: string): Episode | null {
  const e = earlierOf(v, dst);
  return e === null ? null : { first: e.first, last: e.last, sources: e.sources, examples: e.examples };
}

/** The restarts a row's flood went on across (`detail.beforeRestart`): none without it, 1 where it does not count them (written before the count). */
function restartsOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return Math.max(1, count((v as Record<string, unknown>)['restarts']) ?? 1);
}

/**
 * The flood (wave) a stored row tells: its span is the detail's `from`/`to` where the row has them; a
 * row from before they were written spans its first to its last seen when it told no earlier flood
 * (its first seen is then the flood's), else its last SYN alone.
 */
export function recalledFlood(f: Finding): RecalledFlood | null {
  const kind = f.detector === 'syn-flood' ? 'flood' : f.detector === 'syn-wave' ? 'wave' : null;
  const d = f.explanation.detail;
  if (kind === null || typeof d !== 'object' || d === null) return null;
  const detail = d as Record<string, unknown>;
  const dport = count(detail['dport']);
  const sources = count(detail['sources']);
  const prefix = kind === 'flood' ? 'ip:' : 'port:';
  if (dport === null || dport > 65535 || sources === null || !f.entity.startsWith(prefix)) return null;
  const dst = kind === 'flood' ? f.entity.slice(prefix.length) : '';
  if (kind === 'wave' && f.entity !== `port:${dport}`) return null;
  const earlier = Array.isArray(detail['earlier']) ? detail['earlier'].flatMap((e) => earlierOf(e, dst) ?? []) : [];
  const earlierCount = Math.max(earlier.length, count(detail['earlierCount']) ?? 0);
  const to = time(detail['to']) ?? f.lastSeen;
  const from = time(detail['from']) ?? (earlierCount === 0 ? f.firstSeen : to);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return null;
  const flood = { first: Math.min(from, to) * 1000, last: to * 1000, sources, examples: examples(detail['examples'], dst), episodeCount: Math.max(1, count(detail['episodeCount']) ?? 1) };
  const episodes = Array.isArray(detail['episodes']) ? detail['episodes'].flatMap((e) => episodeOf(e, dst) ?? []) : [];
  const allFew = kind === 'wave' && detail['allFew'] === true;
  return { kind, dst, dport, flood, earlier, earlierCount, episodes, allFew, restarts: restartsOf(detail['beforeRestart']) };
}

/** Every flood and wave these stored rows tell (rows of other detectors, or not as written here, skipped). */
export function recalledFloods(rows: readonly Finding[]): RecalledFlood[] {
  return rows.flatMap((f) => recalledFlood(f) ?? []);
}

/**
 * The floods and waves `findings` tells (its latest 1,000 rows of each), for a board that starts (`nml
 * serve`); none when the store cannot be read (`onError` says why): the board starts all the same.
 */
export function storedFloods(findings: Pick<FindingsStore, 'list'>, onError: (e: unknown) => void): RecalledFlood[] {
  try {
    return recalledFloods(['syn-flood', 'syn-wave'].flatMap((detector) => findings.list({ detector, limit: FINDINGS_PAGE_MAX }).findings));
  } catch (e) {
    onError(e);
    return [];
  }
}

/**
 * The group (board-groups.ts) a recalled flood (wave) goes on as when a source joins it within the
 * quiet time of its last SYN: the server restarted while it was going on, and the board counted it from
 * zero, so its row told only the sources since the restart. Its sources before are counted on
 * (`beforeRestart`): an address that sent both before and after is counted twice, so the sum is an upper
 * bound on its distinct sources. A second restart during it counts it on again: `beforeRestart` is then
 * the row's totals at the latest one, and `restarts` says how many there were (a second restart used to
 * overwrite the first's split, and the text read as if there had been one). A wave whose row said all
 * its sources had 1–2 SYNs (`allFew`) goes on saying so while they do (every recalled wave told the
 * budgets instead, so its wording changed at the restart); one from a row before that was written is
 * taken as not all few-SYN ones (its text then tells the budgets, true either way).
 */
export function recalledGroup(r: RecalledFlood): Group {
  const f = r.flood;
  const flood = r.kind === 'flood';
  // a flood's episodes as its row kept them; its one episode when it had no pause (its row listed none)
  const kept = r.episodes.length >= 2 && r.episodes.length <= f.episodeCount ? r.episodes.map((e) => ({ ...e, examples: [...e.examples] })) : [{ first: f.first, last: f.last, sources: f.sources, examples: f.examples.slice() }];
  const episodes = flood ? kept : [];
  // those not kept lay between the first and the second kept, and had the sources the kept ones do not
  // count. Their span is an approximation, and the row cannot give a better one: it writes their sources
  // (`droppedSources`), not their span. It matters only to a source that comes after the restart with SYNs
  // between those two kept bursts and near neither: it joins those not kept, as it would with their true
  // span if it fell within it; with the true span, one that fell in the quiet between would begin a burst
  // of its own, dropped at once, so `episodeCount` would be one more (its sources and the text's "not
  // shown had N sources" are the same either way). The tighter span the detail does allow (more than a
  // gap after the first kept, before the second) answers the same for every such source, so it is not
  // worth its code; writing the span to the detail would make it exact.
  const keptSources = episodes.reduce((n, e) => n + e.sources, 0);
  const dropped = flood && f.episodeCount > episodes.length && episodes.length >= 2 ? { dropped: { first: episodes[0]!.last, last: episodes[1]!.first, sources: Math.max(0, f.sources - keptSources) } } : {};
  return {
    kind: r.kind, dst: r.dst, dport: r.dport, sources: f.sources, maxScore: Math.max(0, ...f.examples.map((x) => x.score)), examples: f.examples.slice(),
    firstSeen: f.first, last: f.last, began: 0, victim: flood ? r.dst : null, shown: true, allFew: r.allFew, worthy: true, victims: new Map(),
    episodes, episodeCount: flood ? Math.max(f.episodeCount, episodes.length) : 0, ...dropped,
    earlier: r.earlier.slice(), earlierCount: r.earlierCount, beforeRestart: { last: f.last, sources: f.sources, restarts: r.restarts + 1 },
  };
}
