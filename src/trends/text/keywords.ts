/** Keywords of one text: its most frequent content tokens, weighted by rarity when document frequencies are known. */

/** `idf(token)` → weight; without it plain term frequency ranks. Ties keep first-seen order. */
export function topKeywords(tokens: string[], k: number, idf?: (t: string) => number): string[] {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  const scored = [...tf].map(([t, n], i) => ({ t, s: n * (idf ? idf(t) : 1), i }));
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.slice(0, k).map((x) => x.t);
}
