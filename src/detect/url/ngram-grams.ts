/** The two ways an n-gram model reads grams, apart from ngram.ts so model-io.ts can record one in model.json without importing the model. */

/**
 * How a model reads the grams of a part: `counted`, every occurrence (a gram twice in the path adds its
 * weight twice and counts twice in √grams); `distinct`, each gram bucket once per part (host, path), the
 * repeats skipped. Distinct is what `nml train url` trains since 2026-12-03; a model.json without `grams`
 * was trained counted and is scored counted.
 */
export type NgramGrams = 'counted' | 'distinct';
export const NGRAM_GRAMS: readonly NgramGrams[] = ['counted', 'distinct'];
/** what training uses unless told otherwise */
export const DEFAULT_NGRAM_GRAMS: NgramGrams = 'distinct';
