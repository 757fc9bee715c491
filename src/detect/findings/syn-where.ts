/**
 * Where a SYN finding came from and where to look at it: the source the live board read (the interface
 * captured or the capture file replayed, kept in the finding's evidence since session 43; older rows have
 * none) and the Hosts board page to open, as the Alerts page's "board" link derives it. The CLI's
 * `findings list` and the findings API give both.
 */
import type { Finding, FindingSource } from '../detector.js';

/** The SYN detectors: a host's own finding, and the board's summed ones. */
const SYN_DETECTORS = new Set(['syn', 'syn-flood', 'syn-wave']);

/**
 * The Hosts board page of a SYN finding (a path of the web UI), null for other detectors: the host itself
 * for a `syn` finding; for a flood or wave (its entity a victim or a port, not a source the board lists)
 * the board with its 1–2-SYN sources shown, which it hides by default.
 */
export function synBoardPath(f: Pick<Finding, 'detector' | 'entity'>): string | null {
  if (!SYN_DETECTORS.has(f.detector)) return null;
  const ip = /^ip:(.+)$/s.exec(f.entity);
  if (f.detector === 'syn' && ip !== null) return `/hosts?${new URLSearchParams({ ip: ip[1]! }).toString()}`;
  return '/hosts?few=show';
}

/** A source kept in a finding's evidence, or undefined when it holds none (an older row) or something else. */
export function findingSource(f: Pick<Finding, 'evidence'>): FindingSource | undefined {
  const s = (f.evidence as { source?: unknown }).source as Partial<FindingSource> | null | undefined;
  return typeof s === 'object' && s !== null && (s.kind === 'interface' || s.kind === 'replay') && typeof s.name === 'string' ? { kind: s.kind, name: s.name } : undefined;
}

/** `interface eth0`, `capture /data/x.pcap`, or `unknown source` for a SYN finding stored without one; null for other detectors. */
export function synSourceText(f: Pick<Finding, 'detector' | 'evidence'>): string | null {
  if (!SYN_DETECTORS.has(f.detector)) return null;
  const s = findingSource(f);
  return s === undefined ? 'unknown source' : `${s.kind === 'interface' ? 'interface' : 'capture'} ${s.name}`;
}

/**
 * The sources a `syn-flood` or `syn-wave` finding sums (the number its Why gives), null for other
 * detectors and rows without it: such a row's stored count is how often the board wrote it again, not
 * how much it stands for. The Alerts page's Count cell and `nml findings list` show this instead.
 */
export function summedSources(f: { detector: string; explanation: { detail?: unknown } }): number | null {
  if (f.detector !== 'syn-flood' && f.detector !== 'syn-wave') return null;
  const d = f.explanation.detail as { sources?: unknown } | null | undefined;
  return typeof d?.sources === 'number' ? d.sources : null;
}
