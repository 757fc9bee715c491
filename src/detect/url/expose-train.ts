/** Training and scoring the eXpose baseline (see expose.ts): Adam, minibatches, dropout 0.5, early stopping. */
import { Adam } from './adam.js';
import type { UrlRow } from './data.js';
import { EXPOSE_SHAPES, ExposeNet, exposeBytes, initExpose } from './expose.js';
import { sigmoid } from '../../core/index.js';
import type { ModelMeta } from './model-io.js';
import { Rng } from './rng.js';
import type { EpochInfo } from './train-bob.js';

export interface ExposeOptions {
  epochs: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  dropout: number;
  patience: number;
  onEpoch?: ((e: EpochInfo) => void) | undefined;
  onProgress?: ((done: number, total: number, epoch: number) => void) | undefined;
}

export const EXPOSE_DEFAULTS: ExposeOptions = { epochs: 3, seed: 1, batchSize: 64, learningRate: 5e-4, dropout: 0.5, patience: 1 };

export const EXPOSE_TENSORS: ModelMeta['tensors'] = EXPOSE_SHAPES.map(([name, shape]) => ({ name, shape }));

/** Probabilities of URLs under eXpose weights. */
export class ExposeScorer {
  private readonly net: ExposeNet;
  constructor(tensors: Record<string, Float32Array>) {
    this.net = new ExposeNet(tensors, false);
  }
  scoreBatch(urls: readonly string[]): Float32Array {
    return Float32Array.from(urls, (u) => sigmoid(this.net.forward(exposeBytes(u))));
  }
}

function logLoss(net: ExposeNet, bytes: Uint8Array[], labels: number[], cw: [number, number]): number {
  let l = 0;
  let n = 0;
  bytes.forEach((b, i) => {
    const y = labels[i]!;
    const q = Math.min(Math.max(sigmoid(net.forward(b)), 1e-7), 1 - 1e-7);
    l -= cw[y]! * (y === 1 ? Math.log(q) : Math.log(1 - q));
    n += cw[y]!;
  });
  return n === 0 ? 0 : l / n;
}

export function trainExposeRows(
  train: readonly UrlRow[],
  val: readonly UrlRow[],
  o: ExposeOptions,
): { tensors: Record<string, Float32Array>; tensorList: ModelMeta['tensors']; history: EpochInfo[]; bestEpoch: number } {
  const rng = new Rng(o.seed);
  const net = new ExposeNet(initExpose(rng), true);
  const g = net.g!;
  const adam = new Adam(
    EXPOSE_SHAPES.map(([n, s]) => {
      const len = s.reduce((a, b) => a * b, 1);
      return [net.t[n].subarray(0, len), g[n].subarray(0, len)];
    }),
    o.learningRate,
  );
  const bytes = train.map((r) => exposeBytes(r.url));
  const labels = train.map((r) => r.label);
  const vBytes = val.map((r) => exposeBytes(r.url));
  const vLabels = val.map((r) => r.label);
  const pos = labels.reduce<number>((a, b) => a + b, 0);
  const cw: [number, number] = pos === 0 || pos === labels.length ? [1, 1] : [labels.length / (2 * (labels.length - pos)), labels.length / (2 * pos)];
  const keep = 1 - o.dropout;
  const order = Array.from({ length: train.length }, (_, i) => i);
  const history: EpochInfo[] = [];
  let best = net.snapshot();
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let since = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const te = performance.now();
    rng.shuffle(order);
    let loss = 0;
    for (let start = 0; start < order.length; start += o.batchSize) {
      const end = Math.min(order.length, start + o.batchSize);
      for (let q = start; q < end; q++) {
        const i = order[q]!;
        const y = labels[i]!;
        const p = sigmoid(net.forward(bytes[i]!, keep, rng));
        const c = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        loss -= cw[y]! * (y === 1 ? Math.log(c) : Math.log(1 - c));
        net.backward(bytes[i]!, cw[y]! * (p - y));
      }
      net.flushTableGrads();
      adam.step(1 / (end - start));
      net.rebuildTables();
      if (o.onProgress !== undefined && ((start / o.batchSize) & 7) === 0) o.onProgress(end, order.length, epoch);
    }
    o.onProgress?.(order.length, order.length, epoch);
    const valLoss = vBytes.length === 0 ? null : logLoss(net, vBytes, vLabels, cw);
    const info: EpochInfo = { epoch, trainLoss: loss / Math.max(1, order.length), valLoss, seconds: (performance.now() - te) / 1000 };
    history.push(info);
    o.onEpoch?.(info);
    const score = valLoss ?? info.trainLoss;
    if (score < bestLoss - 1e-4) {
      bestLoss = score;
      best = net.snapshot();
      bestEpoch = epoch;
      since = 0;
    } else if (++since >= o.patience) break;
  }
  return { tensors: best, tensorList: EXPOSE_TENSORS, history, bestEpoch };
}
