/** What MANIFEST.json of a shared dataset holds (export.ts writes it, readme.ts tells it). */
import type { ShareLabel } from './labels.js';

export type LabelCounts = Record<ShareLabel, number>;

export interface ShareManifest {
  format: 'nml-share';
  formatVersion: number;
  nmlVersion: string;
  exportedAt: string;
  range: { from: string | null; to: string | null };
  query: string;
  files: Record<'lines.ndjson' | 'findings.ndjson', { records: number }>;
  labels: { lines: LabelCounts & { unlabelled: number }; findings: LabelCounts };
  withheld: { lines: number; reasons: Record<string, number> };
  /** NML's own finding lines in the range: left out, findings.ndjson holds what they say */
  findingLinesLeftOut: number;
  skipped: Array<{ file: string; from: string; to: string }>;
  anonymization: {
    scheme: string;
    version: number;
    ip: string;
    names: string;
    urls: string;
    internalDomains: readonly string[];
    keyFingerprint: string;
  };
  note?: string;
  /** a preview (`GET /api/share/export?limit=N`): the lines stopped at N while more matched; counts are of what was read */
  partial?: { lineLimit: number };
}

