/** What every URL model offers once trained (Bag-of-Bytes, n-grams): batched probabilities and one explained score. */
import { BobScorer, bobWeights } from './bob.js';
import type { UrlExplanationDetail } from './explain.js';
import type { UrlNormalization } from './features.js';
import { NgramScorer, ngramWeights } from './ngram.js';
import type { NgramGrams } from './ngram-grams.js';

export interface UrlScorer {
  /** probabilities of a batch (URL strings or raw bytes), in order */
  scoreBatch(urls: readonly (string | Uint8Array)[]): Float32Array;
  /** probability and explanation of one URL */
  explain(url: string): { score: number; detail: UrlExplanationDetail };
}

/**
 * The scorer of a `bob` or `ngram` model from its tensors; throws (plainly worded) on a kind or tensor it
 * cannot use. `grams`: how an n-gram model reads grams, as its model.json or its training says (absent:
 * counted, the reading of a model.json without `grams`).
 */
export function scorerFor(kind: string, tensors: Record<string, Float32Array>, normalize: UrlNormalization = 'scheme', grams?: NgramGrams): UrlScorer {
  if (kind === 'bob') return new BobScorer(bobWeights(tensors), normalize);
  if (kind === 'ngram') return new NgramScorer(ngramWeights(tensors, grams));
  throw new Error(`a '${kind}' model cannot score here (expected bob or ngram)`);
}
