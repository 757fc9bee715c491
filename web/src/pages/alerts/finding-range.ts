/**
 * The time range a finding's evidence and pivot links search. The server's `evidence` window is the
 * latest sighting's only, often a single instant (from == to) for SYN findings, and finds nothing;
 * the finding was seen from `firstSeen` to `lastSeen`, with times that may be cut to the second and a
 * `to` that is exclusive, so the range is the wider of the two, with a second added at the end.
 */
import type { Finding } from '../../lib/types.ts';

/** `to` is exclusive and a sighting's time may be second-truncated: this much after `lastSeen` still counts. */
export const LAST_SEEN_SLACK_MS = 1000;

export function findingRange(f: Pick<Finding, 'evidence' | 'firstSeen' | 'lastSeen'>): { from: number; to: number } {
  const from = Math.min(f.evidence.from, f.firstSeen);
  const to = Math.max(f.evidence.to, f.lastSeen + LAST_SEEN_SLACK_MS);
  return { from, to };
}

/** The same as ISO strings, as the search and investigate pages take them in their URLs. */
export function findingRangeIso(f: Pick<Finding, 'evidence' | 'firstSeen' | 'lastSeen'>): { from: string; to: string } {
  const r = findingRange(f);
  return { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() };
}
