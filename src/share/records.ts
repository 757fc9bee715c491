/**
 * The records of a shared dataset, in order: every finding (`{finding}`), then every line (`{line}`),
 * anonymized and labelled; the manifest is the generator's return value. export.ts writes them to files,
 * `GET /api/share/export` streams them (serve/routes/share.ts): one code path, one anonymization.
 * Lines are pulled from `lines` one at a time, so a range of millions holds no more than a search page.
 */
import { isFindingLine } from '../detect/index.js';
import type { LineAnonymizer } from './anonymize.js';
import { FindingLabels, labelOf, SHARE_LABELS, type LineLabel, type ShareLabel, type SharedFindingSource } from './labels.js';
import type { LabelCounts, ShareManifest } from './manifest.js';

/** A stored line as the export reads it (the store's search hit has these fields). */
export interface ShareLine {
  time: number;
  source: string;
  raw: string;
  sourceHost?: string;
}

export interface ShareRecordsInput {
  lines: AsyncIterable<ShareLine>;
  /** every finding whose last sighting lies in the range */
  findings: readonly SharedFindingSource[];
  anonymizer: LineAnonymizer;
  keyFingerprint: string;
  range: { from: number | null; to: number | null };
  query: string;
  nmlVersion: string;
  /** the damaged shards the lines' search left out, read once the lines are done */
  skipped: () => ReadonlyArray<{ file: string; from: number; to: number }>;
  now?: () => number;
  /** a preview: stop once this many lines are written and another matching line comes; the manifest says `partial` */
  lineLimit?: number;
}

/** a finding as findings.ndjson holds it */
export interface SharedFinding {
  id: number;
  detector: string;
  entity: string;
  score: number;
  threshold: number;
  modelVersion: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  status: string;
  label: ShareLabel;
}

/** a line as lines.ndjson holds it */
export interface SharedLine {
  time: string;
  source: string;
  host: string | null;
  line: string;
  labels: LineLabel[];
}

export type ShareRecord = { finding: SharedFinding } | { line: SharedLine };

export const SHARE_FORMAT_VERSION = 1;
export const SHARE_SCHEME = 'nml-share-anon';
/** 2: sources, user names in paths and dashed IPv4 addresses anonymized too (1 kept them); 3: dashed IPv6 addresses and `/~NAME` users (2 kept them) */
export const SHARE_SCHEME_VERSION = 3;

const zeroLabels = (): LabelCounts => ({ benign: 0, malicious: 0, unreviewed: 0 });
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The findings, then the lines, anonymized and labelled; returns the manifest once the lines are done. */
export async function* shareRecords(input: ShareRecordsInput): AsyncGenerator<ShareRecord, ShareManifest, undefined> {
  const a = input.anonymizer;
  const findingLabels = zeroLabels();
  let findings = 0;
  for (const f of input.findings) {
    const label = labelOf(f.triage.status);
    findingLabels[label]++;
    findings++;
    yield {
      finding: {
        id: f.id,
        detector: f.detector,
        entity: a.entity(f.entity),
        score: f.score,
        threshold: f.threshold,
        modelVersion: f.modelVersion,
        firstSeen: new Date(f.firstSeen).toISOString(),
        lastSeen: new Date(f.lastSeen).toISOString(),
        count: f.count,
        status: f.triage.status,
        label,
      },
    };
  }

  const index = new FindingLabels(input.findings);
  const lineLabels = { ...zeroLabels(), unlabelled: 0 };
  const reasons: Record<string, number> = {};
  let withheld = 0;
  let ownLines = 0;
  let lines = 0;
  let cut = false;
  for await (const hit of input.lines) {
    if (input.lineLimit !== undefined && lines >= input.lineLimit) {
      cut = true; // leaving the loop closes the lines' search
      break;
    }
    if (isFindingLine(hit.raw)) {
      ownLines++;
      continue;
    }
    const r = a.line(hit.raw, hit.sourceHost);
    if ('withheld' in r) {
      withheld++;
      reasons[r.withheld] = (reasons[r.withheld] ?? 0) + 1;
      continue;
    }
    const labels = index.of(r.entities);
    if (labels.length === 0) lineLabels.unlabelled++;
    for (const l of SHARE_LABELS) if (labels.some((x) => x.label === l)) lineLabels[l]++;
    lines++;
    yield { line: { time: new Date(hit.time).toISOString(), source: a.source(hit.source), host: r.host, line: r.line, labels } };
  }

  const now = input.now?.() ?? Date.now();
  const manifest: ShareManifest = {
    format: 'nml-share',
    formatVersion: SHARE_FORMAT_VERSION,
    nmlVersion: input.nmlVersion,
    exportedAt: new Date(now).toISOString(),
    range: { from: iso(input.range.from), to: iso(input.range.to) },
    query: input.query,
    files: { 'lines.ndjson': { records: lines }, 'findings.ndjson': { records: findings } },
    labels: { lines: lineLabels, findings: findingLabels },
    withheld: { lines: withheld, reasons },
    findingLinesLeftOut: ownLines,
    skipped: input.skipped().map((s) => ({ file: s.file, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() })),
    anonymization: {
      scheme: SHARE_SCHEME,
      version: SHARE_SCHEME_VERSION,
      ip: 'Crypto-PAn (Xu et al. 2002), AES-128, prefix-preserving, IPv4 and IPv6; IPv4-mapped IPv6 keeps its form around the anonymized IPv4; an IPv4 address written with dashes in a host name is written back with dashes',
      names: 'HMAC-SHA256 pseudonyms, 40 bits, with a kind prefix: user- (user names, e-mail local parts, a home folder in a path), host-, mac-, q- (URL query values and fragments), dir- (the folder of a file source), source- (a source of no known shape)',
      urls: 'scheme, public host, port and path kept (addresses in the path anonymized); internal hosts host-, user info user-, query values q-',
      internalDomains: a.hosts.internalSuffixes,
      keyFingerprint: input.keyFingerprint,
    },
  };
  if (lines === 0) manifest.note = withheld > 0 ? 'every matching line was withheld (see withheld)' : 'no line matched the range and query';
  if (cut) {
    manifest.partial = { lineLimit: lines };
    manifest.note = `a preview, not the dataset: stopped after the first ${lines} lines; more lines match, and every count here counts only what was read`;
  }
  return manifest;
}
