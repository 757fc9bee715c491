/**
 * Training of the byte n-gram model (ngram.ts): logistic regression by Adagrad over shuffled rows, the
 * popularity weights beside the grams' when a table is given, the epoch of lowest validation loss kept.
 */
import type { BobTrainOptions, EpochInfo } from './train-bob.js';
import { NGRAM_DIM, NgramScorer, NgramScratch, WHOLE_URL, ngramIndices, sigmoid, type NgramWeights } from './ngram.js';
import { DEFAULT_NGRAM_GRAMS, type NgramGrams } from './ngram-grams.js';
import { POP_FEATURES, type PopularityTable } from './popularity.js';
import { Rng } from './rng.js';

/** Epochs, seed, row weights and progress callbacks as Bag-of-Bytes takes them; Adagrad step (default 0.1) and L2 per update (default 1e-6). */
export interface NgramTrainOptions extends Pick<BobTrainOptions, 'epochs' | 'seed' | 'learningRate' | 'rowWeights' | 'onEpoch' | 'onProgress'> {
  l2?: number;
  /** how the model reads grams (default DEFAULT_NGRAM_GRAMS, distinct): training and its validation loss read them so, and the weights record it */
  grams?: NgramGrams;
  /** learn the six popularity weights over this table (rows marked `noPopularity` train without it) */
  popularity?: PopularityTable;
  /**
   * the chance that a URL-set row (not `extra`) trains as if its domain were unlisted, drawn anew at every
   * step (default 0): the grams keep learning what the URLs of listed domains look like instead of
   * leaving that to the popularity term
   */
  popularityDropout?: number;
}

export interface NgramTrainResult {
  weights: NgramWeights;
  history: EpochInfo[];
  bestEpoch: number;
}

interface Row {
  url: string;
  label: 0 | 1;
  /** trains as if its domain were on no popularity list (see train.ts: the extra domain-list rows) */
  noPopularity?: boolean;
  /** a training-only extra row (never dropped out of popularity: see `popularityDropout`) */
  extra?: boolean;
}

/** Mean class-balanced log loss on `rows`. */
function meanLoss(scorer: NgramScorer, rows: readonly Row[], cw: [number, number]): number {
  let l = 0;
  let n = 0;
  for (const r of rows) {
    const p = Math.min(1 - 1e-7, Math.max(1e-7, sigmoid(scorer.logit(r.url))));
    const wt = cw[r.label];
    l -= wt * (r.label === 1 ? Math.log(p) : Math.log(1 - p));
    n += wt;
  }
  return l / Math.max(1e-9, n);
}

/**
 * Logistic regression by Adagrad over shuffled rows (seeded), classes weighted to count the same.
 * Keeps the epoch with the lowest validation loss (the last one without validation rows).
 */
export function trainNgram(train: readonly Row[], val: readonly Row[], o: NgramTrainOptions): NgramTrainResult {
  const lr = o.learningRate ?? 0.1;
  const l2 = o.l2 ?? 1e-6;
  const pos = train.filter((r) => r.label === 1).length;
  const cw: [number, number] = [train.length / (2 * Math.max(1, train.length - pos)), train.length / (2 * Math.max(1, pos))];
  const table = o.popularity;
  const grams = o.grams ?? DEFAULT_NGRAM_GRAMS;
  const weights: NgramWeights = { w: new Float32Array(NGRAM_DIM), b: new Float32Array(1), grams, ...(table === undefined ? {} : { pop: { w: new Float32Array(POP_FEATURES), table } }) };
  const g2 = new Float32Array(NGRAM_DIM).fill(1e-8);
  const pg2 = new Float32Array(POP_FEATURES).fill(1e-8);
  // validation loss on whole URLs, as training sees them (the windows are for scoring: they would move the epoch kept)
  const scorer = new NgramScorer(weights, WHOLE_URL);
  const s = new NgramScratch();
  const order = Array.from({ length: train.length }, (_, i) => i);
  const rng = new Rng(o.seed);
  const dropRng = new Rng(o.seed + 17);
  const dropout = o.popularityDropout ?? 0;
  const history: EpochInfo[] = [];
  const snapshot = (): NgramWeights => ({ w: weights.w.slice(), b: weights.b.slice(), grams, ...(weights.pop === undefined ? {} : { pop: { w: weights.pop.w.slice(), table: weights.pop.table } }) });
  let best = snapshot();
  let bestLoss = Infinity;
  let bestEpoch = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const te = performance.now();
    rng.shuffle(order);
    let loss = 0;
    for (let step = 0; step < order.length; step++) {
      const i = order[step]!;
      const r = train[i]!;
      const unlisted = table !== undefined && (r.noPopularity === true || (dropout > 0 && r.extra !== true && dropRng.next() < dropout));
      ngramIndices(r.url, s, unlisted ? undefined : table, grams);
      const scale = 1 / Math.sqrt(Math.max(1, s.n));
      let z = 0;
      for (let k = 0; k < s.n; k++) z += weights.w[s.idx[k]!]!;
      const pw = weights.pop?.w;
      const p = sigmoid(weights.b[0]! + z * scale + (s.pop >= 0 ? pw![s.pop]! : 0));
      const rw = cw[r.label] * (o.rowWeights?.[i] ?? 1);
      loss -= rw * Math.log(Math.min(1 - 1e-7, Math.max(1e-7, r.label === 1 ? p : 1 - p)));
      const g = (p - r.label) * rw;
      weights.b[0]! -= 0.01 * g;
      for (let k = 0; k < s.n; k++) {
        const j = s.idx[k]!;
        const gj = g * scale + l2 * weights.w[j]!;
        g2[j]! += gj * gj;
        weights.w[j]! -= (lr * gj) / Math.sqrt(g2[j]!);
      }
      if (s.pop >= 0) {
        // one weight per feature, not scaled by the gram count: popularity counts the same for any URL length
        const gj = g + l2 * pw![s.pop]!;
        pg2[s.pop]! += gj * gj;
        pw![s.pop]! -= (lr * gj) / Math.sqrt(pg2[s.pop]!);
      }
      if (o.onProgress !== undefined && (step & 4095) === 4095) o.onProgress(step + 1, order.length, epoch);
    }
    const valLoss = val.length > 0 ? meanLoss(scorer, val, cw) : null;
    const info: EpochInfo = { epoch, trainLoss: loss / Math.max(1, train.length), valLoss, seconds: (performance.now() - te) / 1000 };
    history.push(info);
    o.onEpoch?.(info);
    if (valLoss === null || valLoss < bestLoss) {
      bestLoss = valLoss ?? bestLoss;
      bestEpoch = epoch;
      best = snapshot();
    }
  }
  return { weights: best, history, bestEpoch };
}
