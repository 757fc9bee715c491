/**
 * What a summed SYN finding says of its flood or wave (board-findings.ts's groups): a flood's words, the
 * detail a flood or wave row carries (its span, episodes and earlier ones, which a restarted board
 * recalls: board-recall.ts), a wave's words, and the search that shows its SYNs.
 */
import { FEW_SYNS, FLOOD_SOURCES, WAVE_MEMBER_SYNS, type Group } from './board-groups.js';
import { earlierText, episodesText, exampleText, timeText } from './flood-episodes.js';

/**
 * The search that shows a flood's or wave's SYNs: the victim's lines on the port for a flood; for a wave,
 * its port's lines of the example sources. A wave's evidence was `port:443`, every line of ordinary
 * HTTPS traffic (3,092 in the demo), not the wave.
 */
export function groupEvidence(g: Group): string {
  if (g.kind === 'flood') return `ip:${g.dst} port:${g.dport}`;
  const ips = g.examples.map((x) => `ip:${x.ip}`);
  return ips.length === 0 ? `port:${g.dport}` : `port:${g.dport} (${ips.join(' OR ')})`;
}

/** A flood's episodes (two or more) and its (a wave's) earlier ones (any) in its finding's detail. */
export function floodDetail(g: Group): Record<string, unknown> {
  const ms = (us: number): number => Math.floor(us / 1000);
  return {
    // the flood told now (its victim's earlier ones are under `earlier`): a restarted board recalls it (board-recall.ts)
    from: ms(g.firstSeen),
    to: ms(g.last),
    // what its row told before the latest restart it went on across (`sources` counts those and the ones
    // since), and how many restarts it went on across
    ...(g.beforeRestart === undefined ? {} : { beforeRestart: { to: ms(g.beforeRestart.last), sources: g.beforeRestart.sources, restarts: g.beforeRestart.restarts } }),
    ...(g.episodeCount < 2 ? {} : { episodes: g.episodes.map((e) => ({ from: ms(e.first), to: ms(e.last), sources: e.sources, examples: exampleText(e.examples) })), episodeCount: g.episodeCount }),
    // a wave's every source had 1–FEW_SYNS SYNs (its text says so first): a restarted board recalls it
    ...(g.kind === 'wave' ? { allFew: g.allFew } : {}),
    // the sources of the episodes not kept (distinct: each counted in the one it first came in), in none of those listed
    ...(g.dropped === undefined ? {} : { droppedSources: g.dropped.sources }),
    ...(g.earlierCount === 0 ? {} : { earlier: g.earlier.map((e) => ({ from: ms(e.first), to: ms(e.last), sources: e.sources, examples: exampleText(e.examples), episodeCount: e.episodeCount })), earlierCount: g.earlierCount }),
  };
}

export function floodText(g: Group, t: number, since: string, quietUs: number): string {
  // the evidence search lists every SYN to the victim's port, the flood's sources under the line and its
  // ordinary clients too: a review read "243 sources" against 391 lines as a contradiction
  return `SYN flood against ${g.dst} port ${g.dport}: ${g.sources} sources of 1–${FEW_SYNS} SYNs scored ≥ ${t} since ${since}${restartText(g)}, none of them a finding of its own (so many, so brief: likely spoofed), e.g. ${exampleText(g.examples).join(', ')}${episodesText(g)}${earlierText(g, quietUs)}; the evidence lists every SYN to the port in that time, from sources under the line too`;
}

/** The budgets a wave's text tells (FindingsBudget's). */
export interface WaveBudgets {
  fewPerMinute: number;
  perMinute: number;
  quietUs: number;
}

/**
 * What a wave summed. One of few-SYN sources alone says so first: "1 more source" of a single SYN at
 * 0.99, with the budgets' rules after it, read as a verdict on a host that had shown nothing.
 */
export function waveText(g: Group, t: number, since: string, b: WaveBudgets): string {
  const eg = `e.g. ${exampleText(g.examples).join(', ')}`;
  if (g.allFew) {
    const n = g.sources === 1 ? '1 source' : `${g.sources} sources`;
    return `${n} of only 1–${FEW_SYNS} SYNs each to port ${g.dport} scored ≥ ${t} since ${since}${restartText(g)}: too few SYNs for any one to be a finding of its own (probes sweeping many networks, or a spoofed flood's sources), ${eg}${earlierText(g, b.quietUs, 'wave')}`;
  }
  const few = b.fewPerMinute === 0 ? `every host of 1–${FEW_SYNS} SYNs` : `hosts of 1–${FEW_SYNS} SYNs past ${b.fewPerMinute} a minute`;
  return `${g.sources} more sources sending SYNs to port ${g.dport} scored ≥ ${t} since ${since}${restartText(g)}, past the ${b.perMinute} hosts (${b.fewPerMinute} of 1–${FEW_SYNS} SYNs) reported one by one per minute: ${few}, and, since the port had ${FLOOD_SOURCES} brief sources, every one of under ${WAVE_MEMBER_SYNS} SYNs to this port alone (a botnet's scanning wave or a distributed scan), ${eg}${earlierText(g, b.quietUs, 'wave')}`;
}

/**
 * ` (300 of them told before the server restarted, the latest at …, and 100 since; …)`: a flood (wave)
 * that went on across a restart counts on from what its row told, but the board after it cannot tell
 * whether a source had sent before, so the sum is an upper bound on its distinct sources; '' for one
 * that did not go on across a restart. Across several, it tells the latest and how many: the split at
 * the ones before is not kept.
 */
export function restartText(g: Group): string {
  const b = g.beforeRestart;
  if (b === undefined) return '';
  const after = g.sources - b.sources;
  const when = b.restarts < 2 ? 'the server restarted' : `the latest of the ${b.restarts} times the server restarted during it`;
  const sides = b.restarts < 2 ? 'both sides' : 'both sides of a restart';
  return ` (${b.sources} of them told before ${when}, the latest at ${timeText(b.last)}, and ${after} since; a source seen on ${sides} is counted on each, so ${g.sources} is an upper bound: its distinct sources may be fewer)`;
}
