/** The Bag-of-Bytes model as a scorer: batched probabilities (fast path) and explained scores. */
import { FEATURE_DIM, SparseScratch, normalizeUrl, sparseFeatures, type UrlNormalization } from './features.js';
import { H1, H2, MLP_PARAM_NAMES, MLP_SHAPES, MlpNet, type MlpWeights } from './mlp.js';
import { sigmoid } from '../../core/index.js';
import type { ModelMeta } from './model-io.js';
import { explainUrl, type UrlExplanationDetail } from './explain.js';
import { toSparseSet } from './sparse-set.js';

export const BOB_TENSORS: ModelMeta['tensors'] = [
  { name: 'w1', shape: [FEATURE_DIM, H1] },
  { name: 'b1', shape: [H1] },
  { name: 'w2', shape: [H1, H2] },
  { name: 'b2', shape: [H2] },
  { name: 'w3', shape: [H2, 1] },
  { name: 'b3', shape: [1] },
];

export function bobTensors(w: MlpWeights): Record<string, Float32Array> {
  return { ...w };
}

export function bobWeights(t: Record<string, Float32Array>): MlpWeights {
  const out = {} as MlpWeights;
  for (const n of MLP_PARAM_NAMES) {
    const a = t[n];
    if (a === undefined || a.length !== MLP_SHAPES[n]) throw new Error(`tensor ${n} missing or of the wrong size`);
    out[n] = a;
  }
  return out;
}

/** Scores URLs with a Bag-of-Bytes network (SIMD forward pass over sparse features). */
export class BobScorer {
  private readonly net: MlpNet;
  private readonly sc = new SparseScratch();

  constructor(
    readonly weights: MlpWeights,
    readonly normalize: UrlNormalization = 'scheme',
  ) {
    this.net = new MlpNet(weights);
  }

  /** the URL as this model reads it (strings only; bytes are read as they are) */
  prep<T extends string | Uint8Array>(u: T): T | string {
    return this.normalize === 'scheme' || typeof u !== 'string' ? u : normalizeUrl(u, this.normalize);
  }

  /** Probabilities of a batch (URL strings or raw bytes), in order. */
  scoreBatch(urls: readonly (string | Uint8Array)[]): Float32Array {
    return this.net.predict(toSparseSet(this.normalize === 'scheme' ? urls : urls.map((u) => this.prep(u))));
  }

  /** Probability and explanation of one URL. */
  explain(url: string): { score: number; detail: UrlExplanationDetail } {
    const s = toSparseSet([this.prep(url)]);
    const { logit, contrib } = this.net.gradTimesInput(s, 0);
    const dense = new Float32Array(FEATURE_DIM);
    for (let e = 0; e < contrib.length; e++) dense[s.idx[e]!] = contrib[e]!;
    const score = sigmoid(logit);
    return { score, detail: explainUrl(url, dense, logit, this.normalize) };
  }

  /** features only (for the benchmark) */
  featuresOnly(urls: readonly string[]): number {
    let nnz = 0;
    for (const u of urls) {
      sparseFeatures(u, this.sc);
      nnz += this.sc.nnz;
    }
    return nnz;
  }
}
