/** BM25 over an in-memory inverted index (typed postings), and the brute-force scorer it is checked against. */
import { searchTokens } from './tokenize.js';

export interface Bm25Params {
  k1: number;
  b: number;
}
export const BM25_DEFAULTS: Bm25Params = { k1: 1.2, b: 0.75 };

export interface ScoredDoc {
  doc: number;
  score: number;
}

interface Postings {
  /** ascending */
  docs: number[];
  tfs: number[];
}

/** Term frequencies of a text, as search reads it (`searchTokens`). */
export function termCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of searchTokens(text)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** Removed documents up to which each postings list is searched for them one by one; past it, filtered in one pass. */
const REMOVE_BY_SEARCH = 8;

export class Bm25Index {
  private readonly postings = new Map<string, Postings>();
  /** by document number; a removed document's is -1 (its number is not given again) */
  private readonly lengths: number[] = [];
  private totalLength = 0;
  private live = 0;
  private scores = new Float64Array(0);
  private touched = new Int32Array(0);

  constructor(readonly params: Bm25Params = BM25_DEFAULTS) {}

  /** How many documents it holds (removed ones not counted): BM25's N. */
  get size(): number {
    return this.live;
  }

  /** Adds a document; returns its number (0, 1, 2 … in insertion order). */
  add(text: string): number {
    const doc = this.lengths.length;
    const counts = termCounts(text);
    let len = 0;
    for (const [term, tf] of counts) {
      len += tf;
      let p = this.postings.get(term);
      if (p === undefined) this.postings.set(term, (p = { docs: [], tfs: [] }));
      p.docs.push(doc);
      p.tfs.push(tf);
    }
    this.lengths.push(len);
    this.totalLength += len;
    this.live++;
    return doc;
  }

  /**
   * Takes documents out: their postings, lengths and share of N, so that every score is the one an index built
   * without them gives (document numbers stay; a removed one is never found). It walks the vocabulary, since the
   * index keeps no document's terms: milliseconds for thousands of documents, against tokenizing them all again.
   */
  remove(docs: Iterable<number>): number {
    const gone = new Set<number>();
    for (const d of docs) {
      const len = this.lengths[d];
      if (len === undefined || len < 0) continue;
      gone.add(d);
      this.totalLength -= len;
      this.lengths[d] = -1;
      this.live--;
    }
    if (gone.size === 0) return 0;
    const sorted = [...gone].sort((a, b) => a - b);
    for (const [term, p] of this.postings) {
      if (sorted.length <= REMOVE_BY_SEARCH) {
        for (let j = sorted.length - 1; j >= 0; j--) {
          const i = indexOf(p.docs, sorted[j] as number);
          if (i < 0) continue;
          p.docs.splice(i, 1);
          p.tfs.splice(i, 1);
        }
      } else {
        let kept = 0;
        for (let i = 0; i < p.docs.length; i++) {
          const d = p.docs[i] as number;
          if (gone.has(d)) continue;
          p.docs[kept] = d;
          p.tfs[kept] = p.tfs[i] as number;
          kept++;
        }
        p.docs.length = kept;
        p.tfs.length = kept;
      }
      // an empty list would stay a query term (queryTerms keeps terms the index holds), of idf as high as any
      if (p.docs.length === 0) this.postings.delete(term);
    }
    return gone.size;
  }

  idf(term: string): number {
    const n = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** The query's distinct terms in the index by idf, highest first, at most `maxTerms` (a long incident text is cut to its rarest words). */
  queryTerms(text: string, maxTerms = 64, exclude = -1): string[] {
    // a term only the excluded document (the query itself) holds cannot match anything
    const terms = [...termCounts(text).keys()].filter((t) => {
      const p = this.postings.get(t);
      return p !== undefined && !(p.docs.length === 1 && p.docs[0] === exclude);
    });
    terms.sort((a, b) => this.idf(b) - this.idf(a) || (a < b ? -1 : 1));
    return terms.slice(0, maxTerms);
  }

  /** Top `k` documents for the query terms, best first; `exclude` is left out (the query itself). */
  search(terms: readonly string[], k: number, exclude = -1): ScoredDoc[] {
    const slots = this.lengths.length;
    if (this.scores.length < slots) {
      this.scores = new Float64Array(slots);
      this.touched = new Int32Array(slots);
    }
    const { k1, b } = this.params;
    const avg = this.totalLength / Math.max(1, this.live);
    const scores = this.scores;
    const touched = this.touched;
    let nTouched = 0;
    for (const term of terms) {
      const p = this.postings.get(term);
      if (p === undefined) continue;
      const idf = this.idf(term);
      const { docs, tfs } = p;
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i] as number;
        const tf = tfs[i] as number;
        const norm = k1 * (1 - b + (b * (this.lengths[d] as number)) / avg);
        if (scores[d] === 0) touched[nTouched++] = d;
        scores[d] = (scores[d] as number) + (idf * tf * (k1 + 1)) / (tf + norm);
      }
    }
    const top = topK(scores, touched, nTouched, k, exclude);
    for (let i = 0; i < nTouched; i++) scores[touched[i] as number] = 0;
    return top;
  }

  /** The query terms a document contains (for explanations). */
  sharedTerms(terms: readonly string[], doc: number): string[] {
    return terms.filter((t) => {
      const p = this.postings.get(t);
      return p !== undefined && indexOf(p.docs, doc) >= 0;
    });
  }
}

/** Where `x` is in the ascending `a`, or -1. */
function indexOf(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid] as number;
    if (v === x) return mid;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Partial selection with a small sorted buffer: k is small (≤ a few hundred). */
function topK(scores: Float64Array, touched: Int32Array, n: number, k: number, exclude: number): ScoredDoc[] {
  const best: ScoredDoc[] = [];
  let floor = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = touched[i] as number;
    if (d === exclude) continue;
    const s = scores[d] as number;
    if (best.length >= k && s <= floor) continue;
    let j = best.length;
    best.push({ doc: d, score: s });
    while (j > 0 && ((best[j - 1] as ScoredDoc).score < s || ((best[j - 1] as ScoredDoc).score === s && (best[j - 1] as ScoredDoc).doc > d))) {
      best[j] = best[j - 1] as ScoredDoc;
      j--;
    }
    best[j] = { doc: d, score: s };
    if (best.length > k) best.pop();
    if (best.length >= k) floor = (best[best.length - 1] as ScoredDoc).score;
  }
  return best;
}

/** Brute force: scores every document from its own term counts; the baseline the index is measured against. */
export function bruteForceSearch(docs: readonly Map<string, number>[], terms: readonly string[], k: number, params: Bm25Params = BM25_DEFAULTS): ScoredDoc[] {
  const n = docs.length;
  const df = new Map<string, number>();
  let total = 0;
  const lens = docs.map((d) => {
    let len = 0;
    for (const v of d.values()) len += v;
    total += len;
    return len;
  });
  for (const t of terms) df.set(t, docs.reduce((c, d) => c + (d.has(t) ? 1 : 0), 0));
  const avg = total / Math.max(1, n);
  const out: ScoredDoc[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const t of terms) {
      const tf = docs[i]?.get(t) ?? 0;
      if (tf === 0) continue;
      const dft = df.get(t) ?? 0;
      const idf = Math.log(1 + (n - dft + 0.5) / (dft + 0.5));
      s += (idf * tf * (params.k1 + 1)) / (tf + params.k1 * (1 - params.b + (params.b * (lens[i] as number)) / avg));
    }
    if (s > 0) out.push({ doc: i, score: s });
  }
  out.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return out.slice(0, k);
}
