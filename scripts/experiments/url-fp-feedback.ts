/**
 * Experiment (not part of the product): does an operator's "false positive" feedback (`nml train url
 * --benign-urls`) help on a network never trained on? Per held-out source, its hosts are split in
 * halves: A is the past the operator triaged, B the future. The fold's model (trained without the
 * source) flags A's URLs at the threshold; the benign ones it flags are what an operator marks false
 * positive (at most N, drawn by seed). It is trained again with them as benign rows, each K times,
 * and both models are measured on B.
 *
 *   node --import tsx scripts/experiments/url-fp-feedback.ts
 *   SOURCES=iscx-url-2016,phishstorm NS=50,0 KS=1,4 THR=0.981 …   (N 0 = every flagged benign URL)
 *
 * Results and their reading: models/url/MODEL_CARD.md, "An operator's false positives".
 */
import { DEFAULT_EXTRA_BENIGN, DEFAULT_POPULARITY, loadPopularity, loadUrlRows } from '../../src/detect/url/data.js';
import { confirmedBenignRows } from '../../src/detect/url/adapt.js';
import { computeMetrics } from '../../src/detect/url/metrics.js';
import { hash32, Rng } from '../../src/detect/url/rng.js';
import { scorerFor } from '../../src/detect/url/scorer.js';
import { leaveOneSourceOut } from '../../src/detect/url/split.js';
import { trainOnRows } from '../../src/detect/url/train.js';

const THR = Number(process.env.THR ?? 0.981);
const sources = (process.env.SOURCES ?? 'iscx-url-2016,phishstorm,esdaung-phishdataset-2021,hannousse-webpage-phishing-2021').split(',');
const Ns = (process.env.NS ?? '50,500,0').split(',').map(Number);
const Ks = (process.env.KS ?? '1,4').split(',').map(Number);
const dataDir = process.env.DATA ?? '../shared/datasets';
const rows = loadUrlRows(dataDir, undefined, DEFAULT_EXTRA_BENIGN);
const pop = loadPopularity(dataDir, DEFAULT_POPULARITY)!;
for (const src of sources) {
  const split = leaveOneSourceOut(rows, src);
  const train = split.train.map((i) => rows[i]!);
  const A = split.test.filter((i) => hash32(rows[i]!.host, 7) < 2 ** 31);
  const B = split.test.filter((i) => hash32(rows[i]!.host, 7) >= 2 ** 31);
  const base = trainOnRows(train, 'ngram', { epochs: 4, seed: 1, maxRows: 0, popularity: pop });
  const sc = scorerFor('ngram', base.tensors);
  const sA = sc.scoreBatch(A.map((i) => rows[i]!.url));
  const flaggedBenign = A.filter((i, k) => rows[i]!.label === 0 && sA[k]! >= THR);
  const report = (name: string, s: Float32Array) => {
    const y = B.map((i) => rows[i]!.label);
    const m = computeMetrics(s, y);
    const ben = B.map((i, k) => [rows[i]!.label, s[k]!] as const);
    const fpr = ben.filter(([l, v]) => l === 0 && v >= THR).length / ben.filter(([l]) => l === 0).length;
    const det = ben.filter(([l, v]) => l === 1 && v >= THR).length / ben.filter(([l]) => l === 1).length;
    console.log(`${src.padEnd(32)} ${name.padEnd(22)} AUC ${m.rocAuc?.toFixed(4)} acc ${(100 * m.accuracy).toFixed(1)}% det@1% ${(100 * (m.tprAt1pct ?? 0)).toFixed(1)}% | at ${THR}: benign flagged ${(100 * fpr).toFixed(2)}% malicious flagged ${(100 * det).toFixed(1)}%`);
  };
  console.log(`${src}: A ${A.length} rows, ${flaggedBenign.length} benign flagged at ${THR} (of ${A.filter((i) => rows[i]!.label === 0).length} benign)`);
  report('base', sc.scoreBatch(B.map((i) => rows[i]!.url)));
  for (const n of Ns) {
    const pick = flaggedBenign.slice();
    new Rng(3).shuffle(pick);
    const chosen = n > 0 ? pick.slice(0, n) : pick;
    for (const k of Ks) {
      const fb = confirmedBenignRows(chosen.map((i) => rows[i]!.url), k);
      const t = trainOnRows(train, 'ngram', { epochs: 4, seed: 1, maxRows: 0, popularity: pop, adaptRows: fb });
      report(`fp ${n || 'all'}(${chosen.length}) x${k}`, scorerFor('ngram', t.tensors).scoreBatch(B.map((i) => rows[i]!.url)));
    }
  }
}
