/**
 * `GET /api/share/export`'s NDJSON records as a client reads them (the web UI's share preview): src/share's
 * ShareRecord and ShareManifest are assignable to these (share.test.ts checks), so a drift fails to compile.
 * Self-contained, as every api-*.ts is.
 */
export type ApiShareLabel = 'benign' | 'malicious' | 'unreviewed';
type LabelCounts = Record<ApiShareLabel, number>;

export interface ApiSharedLine {
  time: string;
  source: string;
  host: string | null;
  line: string;
  labels: Array<{ finding: number; label: ApiShareLabel }>;
}

export interface ApiSharedFinding {
  id: number;
  detector: string;
  entity: string;
  score: number;
  lastSeen: string;
  status: string;
  label: ApiShareLabel;
}

export interface ApiShareManifest {
  range: { from: string | null; to: string | null };
  query: string;
  files: Record<'lines.ndjson' | 'findings.ndjson', { records: number }>;
  labels: { lines: LabelCounts & { unlabelled: number }; findings: LabelCounts };
  withheld: { lines: number; reasons: Record<string, number> };
  findingLinesLeftOut: number;
  skipped: Array<{ file: string; from: string; to: string }>;
  anonymization: { scheme: string; version: number; internalDomains: readonly string[]; keyFingerprint: string };
  note?: string;
  /** a preview (`limit=N`) that stopped while more lines matched: its counts are of what was read */
  partial?: { lineLimit: number };
}

/** One line of the export: findings first, then lines, the manifest last; `error` instead of it on a failure part-way. */
export type ApiShareRecord =
  | { finding: ApiSharedFinding }
  | { line: ApiSharedLine }
  | { manifest: ApiShareManifest }
  | { error: { code: string; message: string } };
