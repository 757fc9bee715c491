/**
 * What the live board shows of a host (pure functions over its state): the row of the Hosts list, the
 * explanation of its latest window, its image with saliency, and the list sorted for the page.
 */
import type { Explanation } from '../detector.js';
import { FIELD_GROUPS, FIELDS, fieldImage, ROWS, type HostWindow } from './image.js';
import type { SynModel } from './model.js';
import type { SynPacket } from './types.js';
import { RUN } from './window-run.js';
import type { BoardHost, BoardTargets, HostDetail } from './board-types.js';
import { EXACT_UP_TO } from './distinct.js';
import type { TopCount } from './top-counts.js';
import { paceText, plural, windowsText } from './board-text.js';
import { weighedMost } from './feature-words.js';
import type { State } from './board-state.js';
import { ipOrderKey } from '../../core/index.js';

/** A host's latest SYNs and the window of them the model reads. */
export interface HostSyns {
  syns: SynPacket[];
  w: HostWindow;
}

export interface ListOptions {
  sort?: 'score' | 'packets' | 'distinctPorts' | 'ip' | 'lastSeen';
  order?: 'asc' | 'desc';
  limit?: number;
  /** leaves out hosts with fewer SYNs (a flood's one-SYN sources crowd out the scanners) */
  minPackets?: number;
  /** only hosts whose address contains this text, any case (the Hosts page's find box: `203.179`, `2001:db8:5::`) */
  match?: string;
}

/** What the model's wide input knows of the host as a whole. */
export function hostCtx(h: State): HostWindow['ctx'] {
  return { count: h.count, distinctPorts: h.ports.size, distinctDsts: h.dsts.size, firstSeen: h.firstSeen, lastSeen: h.lastSeen };
}

/** The host's latest window: SYNs since the last filled one, or the last filled one if none since. */
export function latestWindow(h: State): HostSyns {
  const to = h.recent.length;
  return { syns: h.recent, w: { from: Math.max(0, to - (h.count % ROWS || ROWS)), to, ctx: hostCtx(h) } };
}

/** The host's row: counts, times in ms, and a one-line summary of what it did and its score; `idle`: off the live board, listed because it is a finding (board-kept.ts). */
export function hostView(h: State, idle = false): BoardHost {
  const pace = h.count > 1 ? ` ${paceText(h.count, h.lastSeen - h.firstSeen)}` : '';
  const scoring = `${windowsText(h.count, ROWS)}, ${h.count > RUN * ROWS ? `best run of ${RUN}` : 'mean'}: ${h.score.toFixed(3)}`;
  return {
    ip: h.ip,
    score: h.score,
    maxScore: h.maxScore,
    packets: h.count,
    distinctPorts: h.ports.size,
    distinctDsts: h.dsts.size,
    firstSeen: Math.floor(h.firstSeen / 1000),
    lastSeen: Math.floor(h.lastSeen / 1000),
    idle,
    explanation: { summary: `${plural(h.count, 'SYN')} to ${plural(h.ports.size, 'port')} on ${plural(h.dsts.size, 'host')}${pace}; ${scoring}`, detail: null },
  };
}

/**
 * The model's explanation of the host's latest window, summarised with what raised and what lowered its
 * score most, in words (feature-words.ts); what raised it comes first when the host is at or above
 * `threshold`, the board's (`syn.threshold`), not the model's: a finding at 0.7 on a board set to 0.5
 * led with what lowered its score, as if it were not one.
 */
export function explainHost(model: SynModel, h: State, { syns, w }: HostSyns, threshold: number, pixels = false): Explanation {
  const ex = model.explain(syns, w, pixels);
  // the board keeps only the latest SYNs: say which of the host's SYNs the window covers
  ex.window = { from: h.count - (w.to - w.from), to: h.count };
  const highest = h.maxScore.toFixed(3) !== h.score.toFixed(3) ? ` (highest so far ${h.maxScore.toFixed(3)})` : '';
  return { summary: `${hostView(h).explanation.summary}${highest}; ${weighedMost(ex, h.score >= threshold)}`, detail: ex };
}

/** Ports and addresses the host panel lists at most, each; and runs of ports. */
export const TARGETS_SHOWN = 10;
export const PORT_RUNS_SHOWN = 16;

/**
 * A counted value worth listing: its count is exact, or known to be 2 or more. Past 32 distinct values a
 * spray's counters all read "1–13" (at least one SYN, at most thirteen), which says nothing of the value.
 */
const tells = (x: TopCount<unknown>): boolean => x.over === 0 || x.count - x.over >= 2;

/** What the host sent its SYNs to: its top ports and addresses, every port as runs, and how many distinct ones are not listed. */
export function hostTargets(h: State): BoardTargets {
  const ports = h.topPorts.top(TARGETS_SHOWN * 2).filter(tells).slice(0, TARGETS_SHOWN).map((x) => ({ port: x.value, syns: x.count, over: x.over }));
  const dsts = h.topDsts.top(TARGETS_SHOWN * 2).filter(tells).slice(0, TARGETS_SHOWN).map((x) => ({ ip: x.value, syns: x.count, over: x.over }));
  const runs = h.ports.ranges(PORT_RUNS_SHOWN);
  return {
    ports,
    morePorts: Math.max(0, h.ports.size - ports.length),
    portRuns: runs.ranges,
    morePortRuns: runs.more,
    dsts,
    moreDsts: Math.max(0, h.dsts.size - dsts.length),
    dstsExact: h.dsts.size <= EXACT_UP_TO,
  };
}

/**
 * `hostTargets` for a host whose every SYN is at hand (`nml score syn --json` over captures): every count
 * exact, addresses too, in the board's shape. Ties go to the lower port, the address first in text order.
 */
export function capturedTargets(syns: readonly SynPacket[]): BoardTargets {
  const ports = new Map<number, number>();
  const dsts = new Map<string, number>();
  for (const s of syns) {
    ports.set(s.dport, (ports.get(s.dport) ?? 0) + 1);
    dsts.set(s.dst, (dsts.get(s.dst) ?? 0) + 1);
  }
  const top = <T extends number | string>(m: Map<T, number>): [T, number][] => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, TARGETS_SHOWN);
  const portRuns: { from: number; to: number }[] = [];
  let morePortRuns = 0;
  const sorted = [...ports.keys()].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (portRuns.length < PORT_RUNS_SHOWN) portRuns.push({ from: sorted[i]!, to: sorted[j]! });
    else morePortRuns++;
    i = j + 1;
  }
  const shownPorts = top(ports).map(([port, n]) => ({ port, syns: n, over: 0 }));
  const shownDsts = top(dsts).map(([ip, n]) => ({ ip, syns: n, over: 0 }));
  return { ports: shownPorts, morePorts: ports.size - shownPorts.length, portRuns, morePortRuns, dsts: shownDsts, moreDsts: dsts.size - shownDsts.length, dstsExact: true };
}

/** The host with its latest window's image, the gradient × input of every pixel and its targets; `idleNote` (a kept host's: why it is idle and kept) is added to the summary. */
export function hostDetail(model: SynModel, h: State, win: HostSyns, threshold: number, idleNote: string | null): HostDetail {
  const { syns, w } = win;
  const img = fieldImage(syns.slice(w.from, w.to), w.from > 0 ? syns[w.from - 1] : undefined, w.ctx);
  const ex = explainHost(model, h, win, threshold, true);
  const saliency = (ex.detail as ReturnType<SynModel['explain']>).pixels ?? [];
  if (idleNote !== null) ex.summary = `${ex.summary}; ${idleNote}`;
  return {
    host: { ...hostView(h, idleNote !== null), explanation: ex },
    image: {
      rows: ROWS,
      cols: FIELDS,
      pixels: Array.from(img.pixels, (v) => Math.round(v * 1e4) / 1e4),
      rowLabel: 'SYNs of the latest window, oldest first',
      colGroups: FIELD_GROUPS.map((g) => ({ ...g })),
    },
    saliency,
    targets: hostTargets(h),
  };
}

/** Hosts sorted for the page (ties by address), at most `limit` (200); the `idle` ones (kept findings off the live board) are listed too, marked so. */
export function sortedHosts(hosts: Iterable<State>, o: ListOptions = {}, idle: Iterable<State> = []): BoardHost[] {
  const key = o.sort ?? 'score';
  const dir = o.order === 'asc' ? 1 : -1;
  const min = o.minPackets ?? 1;
  const match = o.match?.trim().toLowerCase() ?? '';
  const all: BoardHost[] = [];
  for (const h of hosts) if (h.count >= min && h.ip.includes(match)) all.push(hostView(h));
  for (const h of idle) if (h.count >= min && h.ip.includes(match)) all.push(hostView(h, true));
  // the `ip` order and the ties are by core's `ipOrderKey` (IPv4 by value, then IPv6 by value), which the
  // Hosts page sorts its rows by too (web/src/pages/hosts/board-rows.ts), so the 200 sent are its first 200;
  // each host's key is made once, not at each comparison
  const keys = new Map(all.map((h) => [h.ip, ipOrderKey(h.ip)]));
  const ipOf = (h: BoardHost): string => keys.get(h.ip)!;
  const order = (h: BoardHost): string | number => (key === 'ip' ? ipOf(h) : h[key]);
  all.sort((a, b) => {
    const x = order(a);
    const y = order(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || (ipOf(a) < ipOf(b) ? -1 : 1);
  });
  return all.slice(0, o.limit ?? 200);
}
