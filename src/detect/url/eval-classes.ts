/**
 * Held-out sources broken down by the set's own class (phishing, malware, spam, …): which kinds of
 * malicious URL a model trained on other sources recognises, each against its own source's benign rows.
 */
import type { UrlRow } from './data.js';
import { computeMetrics } from './metrics.js';

export interface ClassResult {
  model: string;
  /** the held-out source */
  source: string;
  /** the set's own class of the malicious rows */
  type: string;
  rows: number;
  /** against the same source's benign rows; null when the source has none */
  rocAuc: number | null;
  /** detection at the threshold that flags 1% of the source's benign rows; null without benign rows */
  detectionAt1Fpr: number | null;
  /** share of the class scored ≥ 0.5 */
  detectedAt05: number;
}

/**
 * Classes whose labels say more about the host than the URL. ISCX-URL-2016's spam rows are pages of
 * WEBSPAM-UK2007 hosts: ordinary content URLs (`archive.yorkpress.co.uk/2002/5/16/285993.html`),
 * labelled by their site; its PROVENANCE.md calls them label noise. Reported apart, never dropped.
 */
export const LABEL_NOISE: readonly { source: string; type: string; why: string }[] = [
  { source: 'iscx-url-2016', type: 'spam', why: 'WEBSPAM-UK2007 pages labelled by their host; ordinary content URLs' },
];

/** The pooled row of a model's scores without the label-noise classes (one name for eval and report). */
export function withoutNoiseKey(model: string): string {
  return `${model}, without ${LABEL_NOISE.map((n) => `${n.source} ${n.type}`).join(', ')}`;
}

export function isLabelNoise(r: Pick<UrlRow, 'source' | 'type' | 'label'>): boolean {
  return r.label === 1 && LABEL_NOISE.some((n) => n.source === r.source && n.type === r.type);
}

/** One result per malicious class of the held-out rows (`rows[i]` scored `scores[i]`). */
export function classResults(model: string, rows: readonly UrlRow[], scores: ArrayLike<number>): ClassResult[] {
  const benign: number[] = [];
  const byType = new Map<string, number[]>();
  const sources = new Set<string>();
  rows.forEach((r, i) => {
    sources.add(r.source);
    if (r.label === 0) benign.push(scores[i]!);
    else {
      const list = byType.get(r.type) ?? [];
      list.push(scores[i]!);
      byType.set(r.type, list);
    }
  });
  const source = [...sources].sort().join('+');
  return [...byType.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, mal]) => {
      const m = computeMetrics([...benign, ...mal], [...benign.map(() => 0), ...mal.map(() => 1)]);
      return { model, source, type, rows: mal.length, rocAuc: m.rocAuc, detectionAt1Fpr: m.tprAt1pct, detectedAt05: mal.filter((s) => s >= 0.5).length / mal.length };
    });
}
