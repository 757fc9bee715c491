/** Binary logistic regression on sparse vectors: SGD with AdaGrad steps, L2 and class weights, from a seed. */
import { sigmoid } from '../../core/index.js';
import { dot, seededRandom, shuffled, type SparseVec } from './sparse.js';
import { finiteNumbers, invalidModel, isFiniteNumber, isRecord } from './model-check.js';

export interface LogRegOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  /** weight positives by negatives/positives (rare classes) */
  balanced: boolean;
  seed: number;
}

export const LOGREG_DEFAULTS: LogRegOptions = { epochs: 15, learningRate: 0.5, l2: 1e-4, balanced: true, seed: 1 };

export interface LogRegJson {
  w: number[];
  b: number;
}

export class LogisticRegression {
  constructor(
    readonly w: Float32Array,
    public b: number,
  ) {}

  static train(xs: SparseVec[], ys: ArrayLike<number>, dim: number, options: Partial<LogRegOptions> = {}): LogisticRegression {
    const o = { ...LOGREG_DEFAULTS, ...options };
    const w = new Float32Array(dim);
    const g2 = new Float32Array(dim).fill(1e-8);
    let b = 0;
    let gb2 = 1e-8;
    let pos = 0;
    for (let i = 0; i < ys.length; i++) pos += ys[i]! > 0.5 ? 1 : 0;
    const neg = ys.length - pos;
    const posWeight = o.balanced && pos > 0 ? Math.min(50, neg / pos) : 1;
    const rand = seededRandom(o.seed);
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (const i of shuffled(xs.length, rand)) {
        const x = xs[i]!;
        const y = ys[i]!;
        const p = sigmoid(dot(w, x) + b);
        const weight = y > 0.5 ? posWeight : 1;
        const err = (p - y) * weight;
        for (let k = 0; k < x.idx.length; k++) {
          const j = x.idx[k]!;
          const g = err * x.val[k]! + o.l2 * w[j]!;
          g2[j]! += g * g;
          w[j]! -= (o.learningRate * g) / Math.sqrt(g2[j]!);
        }
        gb2 += err * err;
        b -= (o.learningRate * err) / Math.sqrt(gb2);
      }
    }
    return new LogisticRegression(w, b);
  }

  /** A saved model of `dim` weights; anything else (wrong count, non-finite numbers) is `TRENDS_MODEL_INVALID` naming `where`. */
  static fromJSON(j: unknown, dim: number, where: string, what = 'model'): LogisticRegression {
    if (!isRecord(j)) throw invalidModel(where, `${what} is not an object`);
    const w = finiteNumbers(j['w'], dim, where, `${what}.w`);
    if (!isFiniteNumber(j['b'])) throw invalidModel(where, `${what}.b is not a finite number`);
    const weights = Float32Array.from(w);
    // a weight beyond float32 range becomes Infinity
    if (!weights.every(Number.isFinite)) throw invalidModel(where, `${what}.w has a weight out of range`);
    return new LogisticRegression(weights, j['b']);
  }

  toJSON(): LogRegJson {
    return { w: Array.from(this.w, (x) => Math.round(x * 1e5) / 1e5), b: this.b };
  }

  score(x: SparseVec): number {
    return dot(this.w, x) + this.b;
  }

  proba(x: SparseVec): number {
    return sigmoid(this.score(x));
  }
}
