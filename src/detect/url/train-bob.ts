/** Trains the Bag-of-Bytes MLP in TypeScript: sparse first layer, dropout, Adam, minibatches, early stopping. */
import { Adam } from './adam.js';
import { H1, H2, MLP_PARAM_NAMES, MLP_SHAPES, MlpNet, initMlp, type MlpWeights } from './mlp.js';
import { sigmoid } from '../../core/index.js';
import { Rng } from './rng.js';
import type { SparseSet } from './sparse-set.js';

export interface BobTrainOptions {
  epochs: number;
  seed: number;
  batchSize?: number;
  learningRate?: number;
  /** dropout after each hidden layer */
  dropout?: number;
  /** epochs without a better validation loss before stopping */
  patience?: number;
  /** weight classes so both count equally */
  balanced?: boolean;
  /** per-row weight multiplied into the loss (e.g. less for rows of hosts with many rows); mean ≈ 1 */
  rowWeights?: Float32Array;
  /** called after every epoch */
  onEpoch?(e: EpochInfo): void;
  /** called every few batches with samples done this epoch */
  onProgress?(done: number, total: number, epoch: number): void;
}

export interface EpochInfo {
  epoch: number;
  trainLoss: number;
  valLoss: number | null;
  seconds: number;
}

export interface BobTrainResult {
  weights: MlpWeights;
  history: EpochInfo[];
  bestEpoch: number;
  seconds: number;
}

/** Mean weighted log loss of a network on a set. */
export function logLoss(net: MlpNet, s: SparseSet, cw: [number, number] = [1, 1]): number {
  const p = net.predict(s);
  let l = 0;
  let n = 0;
  for (let r = 0; r < s.n; r++) {
    const y = s.labels[r]!;
    const q = Math.min(Math.max(p[r]!, 1e-7), 1 - 1e-7);
    l -= cw[y]! * (y === 1 ? Math.log(q) : Math.log(1 - q));
    n += cw[y]!;
  }
  return n === 0 ? 0 : l / n;
}

const ACT = new Int32Array(H1);

/** One sample's forward and backward pass with dropout, gradients added to `net.g`. Returns its loss. */
function sampleStep(net: MlpNet, s: SparseSet, r: number, weight: number, keep: number, rng: Rng, m1: Float32Array, m2: Float32Array): number {
  const { k, w, h1, h2, d1, d2 } = net;
  const g = net.g!;
  const a = s.rowPtr[r]!;
  const b = s.rowPtr[r + 1]!;
  const inv = 1 / keep;
  net.layer1(s.idx, s.val, a, b);
  let nAct = 0;
  for (let j = 0; j < H1; j++) {
    if (h1[j]! > 0 && rng.next() < keep) {
      m1[j] = inv;
      h1[j] = h1[j]! * inv;
      ACT[nAct++] = j;
    } else {
      m1[j] = 0;
      h1[j] = 0;
    }
  }
  net.layer2(ACT, nAct);
  const w3 = w.w3;
  let z = w.b3[0]!;
  for (let j = 0; j < H2; j++) {
    const on = h2[j]! > 0 && rng.next() < keep;
    m2[j] = on ? inv : 0;
    h2[j] = on ? h2[j]! * inv : 0;
    z += h2[j]! * w3[j]!;
  }
  const y = s.labels[r]!;
  const p = sigmoid(z);
  const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  const loss = -weight * (y === 1 ? Math.log(q) : Math.log(1 - q));
  const dz = weight * (p - y);
  g.b3[0]! += dz;
  const gw3 = g.w3;
  const gb2 = g.b2;
  for (let j = 0; j < H2; j++) {
    gw3[j]! += dz * h2[j]!;
    const d = dz * w3[j]! * m2[j]!;
    d2[j] = d;
    gb2[j]! += d;
  }
  d1.fill(0);
  const gw2 = g.w2.byteOffset;
  const ww2 = w.w2.byteOffset;
  for (let q2 = 0; q2 < nAct; q2++) {
    const i = ACT[q2]!;
    d1[i] = k.axpyDot(gw2 + i * H2 * 4, ww2 + i * H2 * 4, d2.byteOffset, h1[i]!, H2) * m1[i]!;
  }
  const gb1 = g.b1;
  for (let j = 0; j < H1; j++) gb1[j]! += d1[j]!;
  const gw1 = g.w1.byteOffset;
  for (let e = a; e < b; e++) k.axpy(gw1 + s.idx[e]! * H1 * 4, d1.byteOffset, s.val[e]!, H1);
  return loss;
}

/** Trains from a seed; keeps the weights of the epoch with the best validation loss. */
export function trainBob(train: SparseSet, val: SparseSet | null, opt: BobTrainOptions): BobTrainResult {
  const t0 = performance.now();
  const rng = new Rng(opt.seed);
  const net = new MlpNet(initMlp(rng), true);
  const batch = opt.batchSize ?? 256;
  const keep = 1 - (opt.dropout ?? 0.2);
  const g = net.g!;
  const adam = new Adam(MLP_PARAM_NAMES.map((n) => [net.w[n].subarray(0, MLP_SHAPES[n]), g[n].subarray(0, MLP_SHAPES[n])]), opt.learningRate ?? 1e-3);
  let pos = 0;
  for (let r = 0; r < train.n; r++) pos += train.labels[r]!;
  const cw: [number, number] = opt.balanced === false || pos === 0 || pos === train.n ? [1, 1] : [train.n / (2 * (train.n - pos)), train.n / (2 * pos)];
  const rw = opt.rowWeights;
  const m1 = new Float32Array(H1);
  const m2 = new Float32Array(H2);
  const order = new Int32Array(train.n).map((_, i) => i);
  const history: EpochInfo[] = [];
  let best: MlpWeights = net.snapshot();
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let sinceBest = 0;
  for (let epoch = 1; epoch <= opt.epochs; epoch++) {
    const te = performance.now();
    rng.shuffle(order);
    let loss = 0;
    for (let start = 0; start < train.n; start += batch) {
      const end = Math.min(train.n, start + batch);
      for (let q = start; q < end; q++) {
        const r = order[q]!;
        loss += sampleStep(net, train, r, cw[train.labels[r]!]! * (rw === undefined ? 1 : rw[r]!), keep, rng, m1, m2);
      }
      adam.step(1 / (end - start));
      if (opt.onProgress !== undefined && ((start / batch) & 15) === 0) opt.onProgress(end, train.n, epoch);
    }
    opt.onProgress?.(train.n, train.n, epoch);
    const valLoss = val === null || val.n === 0 ? null : logLoss(net, val, cw);
    const info: EpochInfo = { epoch, trainLoss: loss / Math.max(1, train.n), valLoss, seconds: (performance.now() - te) / 1000 };
    history.push(info);
    opt.onEpoch?.(info);
    const score = valLoss ?? info.trainLoss;
    if (score < bestLoss - 1e-4) {
      bestLoss = score;
      best = net.snapshot();
      bestEpoch = epoch;
      sinceBest = 0;
    } else if (++sinceBest >= (opt.patience ?? 2)) break;
  }
  return { weights: best, history, bestEpoch, seconds: (performance.now() - t0) / 1000 };
}
