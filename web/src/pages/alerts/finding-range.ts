/**
 * The time range a finding's evidence and pivot links search: the wider of its `evidence` window and
 * `firstSeen`..`lastSeen` (times may be cut to the second and `to` is exclusive, so a second is added at
 * the end). Since session 24 the server records SYN evidence over first..last SYN and widens evidence of
 * the same search across sightings; findings stored before then kept the latest sighting's window only,
 * often a single instant (from == to) that found nothing, and this still covers them.
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

/** The least margin either side of a finding's first..last seen on its evidence link (one minute). */
export const EVIDENCE_MARGIN_MS = 60_000;

/**
 * Where a finding's events are: `firstSeen`..`lastSeen` and a margin either side (a tenth of the span, at
 * least EVIDENCE_MARGIN_MS), inside findingRange. The evidence window a URL finding carries reaches a day
 * back and on (a line's own time may be hours from when it came), and searched whole it showed 23 empty
 * hours around a few seconds of lines; the evidence link opens on this and offers the wider one.
 */
export function evidenceRange(f: Pick<Finding, 'evidence' | 'firstSeen' | 'lastSeen'>): { from: number; to: number } {
  const wide = findingRange(f);
  const margin = Math.max(EVIDENCE_MARGIN_MS, Math.round((f.lastSeen - f.firstSeen) / 10));
  return { from: Math.max(wide.from, f.firstSeen - margin), to: Math.min(wide.to, f.lastSeen + LAST_SEEN_SLACK_MS + margin) };
}

export function evidenceRangeIso(f: Pick<Finding, 'evidence' | 'firstSeen' | 'lastSeen'>): { from: string; to: string } {
  const r = evidenceRange(f);
  return { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() };
}
