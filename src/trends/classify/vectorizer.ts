/** TF-IDF over a learned vocabulary (unigrams and optional bigrams): sublinear term frequency, L2-normalised sparse vectors. */
import type { SparseVec } from './sparse.js';
import { finiteNumbers, invalidModel, isRecord, strings } from './model-check.js';

export interface VectorizerOptions {
  /** a term must occur in at least this many training documents */
  minDf: number;
  /** keep the most frequent terms only */
  maxFeatures: number;
  bigrams: boolean;
}

export interface VectorizerJson {
  terms: string[];
  idf: number[];
  bigrams: boolean;
}

function grams(tokens: string[], bigrams: boolean): string[] {
  if (!bigrams) return tokens;
  const out = tokens.slice();
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

export class TfidfVectorizer {
  private constructor(
    readonly terms: string[],
    private readonly index: Map<string, number>,
    readonly idf: Float32Array,
    private readonly bigrams: boolean,
  ) {}

  /** Learns the vocabulary of `docs`; `extras[i]` are further terms of document i, counted as they are (no word pairs across them). */
  static fit(docs: string[][], opts: VectorizerOptions, extras: readonly (readonly string[])[] = []): TfidfVectorizer {
    const df = new Map<string, number>();
    docs.forEach((d, i) => {
      for (const g of new Set([...grams(d, opts.bigrams), ...(extras[i] ?? [])])) df.set(g, (df.get(g) ?? 0) + 1);
    });
    const kept = [...df].filter(([, n]) => n >= opts.minDf).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.maxFeatures);
    kept.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const n = docs.length;
    const idf = Float32Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1);
    return new TfidfVectorizer(kept.map(([t]) => t), new Map(kept.map(([t], i) => [t, i])), idf, opts.bigrams);
  }

  /** A saved vocabulary: distinct terms, one finite positive idf each; anything else is `TRENDS_MODEL_INVALID` naming `where`. */
  static fromJSON(j: unknown, where: string): TfidfVectorizer {
    if (!isRecord(j)) throw invalidModel(where, 'vectorizer is not an object');
    const terms = strings(j['terms'], where, 'vectorizer.terms');
    const idf = finiteNumbers(j['idf'], terms.length, where, 'vectorizer.idf');
    if (idf.some((x) => x <= 0 || x > 3.4e38)) throw invalidModel(where, 'vectorizer.idf has a value out of range');
    if (typeof j['bigrams'] !== 'boolean') throw invalidModel(where, 'vectorizer.bigrams is not true or false');
    const index = new Map(terms.map((t, i) => [t, i]));
    if (index.size !== terms.length) throw invalidModel(where, 'vectorizer.terms has duplicates');
    return new TfidfVectorizer(terms, index, Float32Array.from(idf), j['bigrams']);
  }

  toJSON(): VectorizerJson {
    return { terms: this.terms, idf: Array.from(this.idf, (x) => Math.round(x * 1e5) / 1e5), bigrams: this.bigrams };
  }

  get size(): number {
    return this.terms.length;
  }

  /** True when `term` is in the vocabulary. */
  has(term: string): boolean {
    return this.index.has(term);
  }

  /** The vocabulary index of `term`, or undefined. */
  indexOf(term: string): number | undefined {
    return this.index.get(term);
  }

  /** True when the vocabulary holds word pairs: then the counts of concatenated token lists are not the sum of their parts' counts. */
  get hasBigrams(): boolean {
    return this.bigrams;
  }

  transform(tokens: string[]): SparseVec {
    return this.fromCounts(this.counts(tokens));
  }

  /** Vocabulary index → occurrences in `tokens` (added to `tf` when given). Without bigrams, the counts of a concatenation are the sums of the parts' counts. */
  counts(tokens: string[], tf = new Map<number, number>()): Map<number, number> {
    for (const g of grams(tokens, this.bigrams)) {
      const i = this.index.get(g);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    return tf;
  }

  /** The TF-IDF vector of term counts from `counts` (or their sums; a count may be any value ≥ 1). */
  fromCounts(tf: ReadonlyMap<number, number>): SparseVec {
    const idx = Int32Array.from([...tf.keys()].sort((a, b) => a - b));
    const val = new Float32Array(idx.length);
    let norm = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = (1 + Math.log(tf.get(idx[k]!)!)) * this.idf[idx[k]!]!;
      val[k] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let k = 0; k < val.length; k++) val[k]! /= norm;
    return { idx, val };
  }
}
