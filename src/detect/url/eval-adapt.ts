/**
 * `nml eval url --adapt`: how much adapting to a network (adapt.ts) helps on a source never trained on.
 * A different protocol from leave-one-source-out, reported beside it, never as it: each held-out
 * source is split by host into halves; the first half's URLs, without their labels, adapt the fold's
 * n-gram model; both models are tested on the second half, whose hosts adaptation never saw.
 */
import { DEFAULT_ADAPT_BELOW, adaptationRows } from './adapt.js';
import type { UrlRow } from './data.js';
import { computeMetrics, type Metrics } from './metrics.js';
import { NGRAM_EPOCHS } from './ngram.js';
import type { NgramGrams } from './ngram-grams.js';
import type { PopularityTable } from './popularity.js';
import { scorerFor } from './scorer.js';
import { hostSplit, leaveOneSourceOut, sourcesOf } from './split.js';
import { trainOnRows } from './train.js';

export interface AdaptEvalOptions {
  seed: number;
  /** most epochs of the n-gram model (default NGRAM_EPOCHS) */
  epochs?: number;
  below?: number;
  /** how the n-gram models read grams (default DEFAULT_NGRAM_GRAMS) */
  grams?: NgramGrams;
  /** only these held-out sources (default all) */
  sources?: string[];
  log?(line: string): void;
}

export interface AdaptFold {
  source: string;
  /** URLs of the adaptation half */
  adaptUrls: number;
  /** of those, the ones below the line (trained as benign), and how many of them are labelled malicious */
  adaptRows: number;
  adaptMalicious: number;
  testRows: number;
  base: Metrics;
  adapted: Metrics;
}

export interface AdaptEvalResult {
  below: number;
  folds: AdaptFold[];
  /** every fold's test half pooled, by the fold's model before and after adaptation */
  pooledBase: Metrics;
  pooledAdapted: Metrics;
}

/** `rows`: the URL sets and training-only extra rows as `nml eval url` loaded them; `popularity`: the n-grams' table. */
export function evaluateAdaptation(rows: readonly UrlRow[], popularity: PopularityTable | null, o: AdaptEvalOptions): AdaptEvalResult {
  const below = o.below ?? DEFAULT_ADAPT_BELOW;
  const train = (trainRows: readonly UrlRow[], adaptRows?: UrlRow[]): ReturnType<typeof trainOnRows> =>
    trainOnRows(trainRows, 'ngram', { epochs: o.epochs ?? NGRAM_EPOCHS, seed: o.seed, maxRows: 0, popularity, ...(o.grams === undefined ? {} : { grams: o.grams }), ...(adaptRows === undefined ? {} : { adaptRows }) });
  const folds: AdaptFold[] = [];
  const pooled = { base: [] as number[], adapted: [] as number[], y: [] as number[] };
  for (const source of o.sources ?? sourcesOf(rows)) {
    const split = leaveOneSourceOut(rows, source);
    const halves = hostSplit(rows, 0.5, o.seed + 300, `adapt:${source}`, split.test);
    const trainRows = split.train.map((i) => rows[i]!);
    const adaptHalf = halves.train.map((i) => rows[i]!);
    const testHalf = halves.test.map((i) => rows[i]!);
    const first = train(trainRows);
    const base = scorerFor('ngram', first.tensors, 'scheme', first.grams);
    const adaptRows = adaptationRows(base, adaptHalf.map((r) => r.url), below);
    const malicious = new Set(adaptHalf.filter((r) => r.label === 1).map((r) => r.url));
    const adapted = train(trainRows, adaptRows);
    const y = testHalf.map((r) => r.label);
    const urls = testHalf.map((r) => r.url);
    const s0 = base.scoreBatch(urls);
    const s1 = scorerFor('ngram', adapted.tensors, 'scheme', adapted.grams).scoreBatch(urls);
    pooled.base.push(...s0);
    pooled.adapted.push(...s1);
    pooled.y.push(...y);
    const fold: AdaptFold = { source, adaptUrls: adaptHalf.length, adaptRows: adaptRows.length, adaptMalicious: adaptRows.filter((r) => malicious.has(r.url)).length, testRows: testHalf.length, base: computeMetrics(s0, y), adapted: computeMetrics(s1, y) };
    folds.push(fold);
    o.log?.(`adapt ${source}: ${fold.adaptRows} of ${fold.adaptUrls} URLs below ${below} (${fold.adaptMalicious} labelled malicious); test half ROC-AUC ${fold.base.rocAuc?.toFixed(4) ?? 'n/a'} -> ${fold.adapted.rocAuc?.toFixed(4) ?? 'n/a'}`);
  }
  return { below, folds, pooledBase: computeMetrics(pooled.base, pooled.y), pooledAdapted: computeMetrics(pooled.adapted, pooled.y) };
}

const f3 = (v: number | null): string => (v === null ? '—' : v.toFixed(3));
const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** A measure of a fold, before → after: ROC-AUC with two classes, else the share detected at 0.5. */
function change(a: Metrics, b: Metrics): string {
  if (a.rocAuc !== null && b.rocAuc !== null) return `ROC-AUC ${f3(a.rocAuc)} → ${f3(b.rocAuc)}`;
  return `detected at 0.5 ${pct(a.recall)} → ${pct(b.recall)}`;
}

/** Benign test rows scored ≥0.5: the share an operator would see flagged at 0.5. */
function benignFlagged(m: Metrics): number | null {
  const [[tn, fp]] = m.confusion;
  return tn + fp === 0 ? null : fp / (tn + fp);
}

export function renderAdaptation(r: AdaptEvalResult): string {
  const out = [
    '## Adapted to the held-out source (a different protocol: beside the headline, not as it)',
    '',
    `What \`nml train url --adapt-urls\` does on a network it was not trained on. Each held-out source is split by host into halves. The first half's URLs, without their labels, are scored by the fold's n-gram model; those below ${r.below} train again as benign beside the other sources. Both models are tested on the second half, whose hosts adaptation never saw. The malicious-only sources show the cost: their URLs below the line are learned as benign.`,
    '',
    '| held-out source | adaptation URLs | trained as benign | of them labelled malicious | test rows | before → after | benign at ≥0.5 before → after |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const f of r.folds) out.push(`| ${f.source} | ${f.adaptUrls} | ${f.adaptRows} | ${f.adaptMalicious} | ${f.testRows} | ${change(f.base, f.adapted)} | ${pct(benignFlagged(f.base))} → ${pct(benignFlagged(f.adapted))} |`);
  const b = r.pooledBase;
  const a = r.pooledAdapted;
  out.push('', '| test halves pooled | rows | accuracy | ROC-AUC | detection @1% FPR | detection @0.1% FPR |', '| --- | --- | --- | --- | --- | --- |');
  out.push(`| before adaptation | ${b.n} | ${pct(b.accuracy)} | ${f3(b.rocAuc)} | ${pct(b.tprAt1pct)} | ${pct(b.tprAt01pct)} |`);
  out.push(`| adapted | ${a.n} | ${pct(a.accuracy)} | ${f3(a.rocAuc)} | ${pct(a.tprAt1pct)} | ${pct(a.tprAt01pct)} |`);
  return out.join('\n');
}
