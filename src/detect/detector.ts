/**
 * What every detector is: something that scores subjects (a URL, a source host) in batches, in input
 * order, with an explanation for each score, and never throws on a bad subject.
 */

/** Why a subject got its score: one line a person reads, and detector-specific detail (JSON). */
export interface Explanation {
  summary: string;
  /** e.g. per-character weights of a URL, or the rows and fields of a host's image that mattered */
  detail: unknown;
}

export interface Scored {
  /** the subject as given (the URL, the IP address) */
  subject: string;
  /** probability that the subject is malicious, in [0, 1] */
  score: number;
  explanation: Explanation;
}

/** A subject that could not be scored, with a clear reason; the rest of the batch is still scored. */
export interface Unscorable {
  subject: string;
  error: { code: string; message: string };
}

export type ScoreResult = Scored | Unscorable;

export function isScored(r: ScoreResult): r is Scored {
  return (r as Scored).score !== undefined;
}

export interface Detector<Input> {
  /** short stable name: `url`, `syn` */
  readonly name: string;
  /** which weights are loaded, e.g. `bob-2026-11-28`; recorded with every finding */
  readonly modelVersion: string;
  /** one result per input, in input order; an empty batch gives an empty array */
  score(inputs: readonly Input[]): Promise<ScoreResult[]>;
  /** releases native sessions and workers */
  close(): Promise<void>;
}

/** A finding as detectors hand it to the findings store: a scored subject above its threshold. */
export interface NewFinding {
  detector: string;
  /** typed entity, as the search and pivot syntax writes it: `url:x/y` (a URL finding: the URL without its scheme), `ip:203.0.113.9` */
  entity: string;
  score: number;
  threshold: number;
  modelVersion: string;
  /** when the subject was seen (event time, ms) */
  time: number;
  /**
   * for a finding that sums several sightings (a host's URLs past its budget): the earliest event time
   * among them (ms; default `time`) and how many it adds to the stored count (default 1)
   */
  firstSeen?: number;
  sightings?: number;
  /**
   * its explanation tells the entity's story so far (a SYN flood's or wave's row: the one now, its victim's or port's
   * earlier ones): it replaces the stored one when its time is at or after the stored one's, whatever the
   * scores (the row keeps the highest score). Otherwise the highest score's explanation stays.
   */
  latest?: boolean;
  explanation: Explanation;
  /** a search that shows the evidence: query text and time range (ms); a SYN finding's also where its SYNs came from */
  evidence: { query: string; from: number; to: number; source?: FindingSource };
}

/** Where a SYN finding's packets came from: the interface the board captured, or the capture file it replayed. */
export interface FindingSource {
  kind: 'interface' | 'replay';
  /** the interface name or the capture file */
  name: string;
}

/** The detectors of this build, by the name their findings carry (imported findings may bring others); `watch`: a saved query's count reached its threshold (serve/watches/). */
export const DETECTOR_NAMES = ['url', 'syn', 'syn-flood', 'syn-wave', 'watch'] as const;

/** Where an operator has got with a finding. */
export const FINDING_STATUSES = ['open', 'acknowledged', 'resolved', 'false-positive'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/**
 * A finding's triage: `open` until a person says otherwise. A sighting after `resolved` opens it again
 * (`reopenedAt`); `acknowledged` and `false-positive` stay as they are, and the sightings still count.
 */
export interface Triage {
  status: FindingStatus;
  /** the person's note with the status ('' for none) */
  note: string;
  /** who set the status (a user name, `api-token`); null while nobody has */
  by: string | null;
  /** when it was set (ms, wall clock); null while nobody has */
  at: number | null;
  /** when a sighting opened a resolved finding again (ms, wall clock); null after any person's change */
  reopenedAt: number | null;
  /** the user the finding is assigned to ("this one is mine"); null while nobody is. Assigning leaves the status as it is */
  assignee: string | null;
  /** when it was assigned or unassigned last (ms, wall clock); null while nobody has */
  assignedAt: number | null;
}

/** A stored finding: repeated sightings of the same detector + entity update one row. */
export interface Finding extends Omit<NewFinding, 'sightings' | 'latest'> {
  triage: Triage;
  id: number;
  firstSeen: number;
  lastSeen: number;
  /** sightings above threshold */
  count: number;
  /**
   * the store's clock (ms) when NML last raised or saw it again, whatever its events' time (0 for a
   * finding stored before this was kept); `lastSeen` is its latest event's time
   */
  sightedAt: number;
  /** a SYN finding's page on the Hosts board (a web UI path, `findings/syn-where.ts`); absent for other detectors */
  board?: string;
}

/** Where detectors put findings (the findings store, or a test double). */
export interface FindingsSink {
  record(findings: readonly NewFinding[]): void;
}
