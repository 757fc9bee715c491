/** Similar incidents: BM25 candidates re-ranked by structured similarity with learned weights; each result says why. */
import { Bm25Index, BM25_DEFAULTS, type Bm25Params } from './bm25.js';
import { ATTRS, type Attr, type Incident } from './incident.js';

/** Features of a (query, candidate) pair, all in [0, 1]. */
export const FEATURES = ['bm25', 'vote', ...ATTRS.map((a) => `same_${a}` as const)] as const;
export type FeatureName = (typeof FEATURES)[number];

export interface RankModel {
  /** one weight per FEATURES entry */
  weights: number[];
  /** BM25 candidates re-ranked per query */
  pool: number;
  /** nearest neighbours whose labels vote */
  voteK: number;
  bm25: Bm25Params;
  /** how the weights were obtained (data, split, method) */
  trainedOn: string;
}

/** Plain BM25: weight on bm25 only. The baseline, and the fallback before any training. */
export const BM25_ONLY: RankModel = { weights: FEATURES.map((f) => (f === 'bm25' ? 1 : 0)), pool: 100, voteK: 20, bm25: BM25_DEFAULTS, trainedOn: 'none (plain BM25)' };

export interface Why {
  /** query words the incident shares, rarest first */
  sharedTerms: string[];
  /** structured fields with equal values */
  matchedFields: { field: Attr; values: string[] }[];
  /** labels most of the nearest incidents share, with the count */
  vote: { label: string; of: number; k: number } | null;
  /** each feature's part of the score */
  contributions: Partial<Record<FeatureName, number>>;
}

export interface SimilarResult {
  incident: Incident;
  score: number;
  bm25: number;
  why: Why;
}

export interface Candidate {
  doc: number;
  bm25: number;
  features: number[];
  vote: Why['vote'];
  matched: Why['matchedFields'];
}

/** What an index that loads incidents by id keeps of each: what ranking reads (labels, attributes) and its id. */
export type IndexedIncident = Pick<Incident, 'id' | 'source' | 'title' | 'time' | 'labels' | 'attrs'>;

function summaryOf(x: Incident): IndexedIncident {
  return { id: x.id, source: x.source, title: x.title, time: x.time, labels: x.labels, attrs: x.attrs };
}

export class SimilarityIndex {
  readonly bm25: Bm25Index;
  private readonly docs: IndexedIncident[] = [];
  /** whole incidents, kept only when there is no loader (training and evaluation hold them anyway) */
  private readonly whole: Incident[] = [];
  private readonly byId = new Map<string, number>();

  /**
   * `load` fetches a whole incident by id (the incident base): given it, the index keeps summaries and
   * loads only the results it returns. Kept whole, every saved report's parts stayed in memory (84 MB
   * for 12 reports of 7 MB).
   */
  constructor(
    incidents: Iterable<Incident>,
    public model: RankModel = BM25_ONLY,
    private readonly load: ((id: string) => Incident | null) | null = null,
  ) {
    this.bm25 = new Bm25Index(model.bm25);
    for (const x of incidents) this.add(x);
  }

  add(x: Incident): void {
    this.byId.set(x.id, this.docs.length);
    this.docs.push(this.load === null ? x : summaryOf(x));
    if (this.load === null) this.whole.push(x);
    this.bm25.add(`${x.title}\n${x.text}`);
  }

  get size(): number {
    return this.docs.length;
  }

  /** What ranking reads of a document. */
  summary(doc: number): IndexedIncident {
    return this.docs[doc] as IndexedIncident;
  }

  /** The whole incident of a document (loaded by id when the index keeps summaries; its summary alone when the loader no longer has it). */
  incident(doc: number): Incident {
    if (this.load === null) return this.whole[doc] as Incident;
    const d = this.summary(doc);
    return this.load(d.id) ?? { ...d, text: '', firstAction: null, countermeasure: null, steps: [], outcome: null };
  }

  docOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /** The BM25 pool for a query with every pair's features (what training and ranking share). */
  candidates(q: Incident, exclude = this.docOf(q.id)): { terms: string[]; cands: Candidate[] } {
    const terms = this.bm25.queryTerms(`${q.title}\n${q.text}`, 64, exclude);
    const pool = this.bm25.search(terms, this.model.pool, exclude);
    const max = pool[0]?.score ?? 1;
    const k = Math.min(this.model.voteK, pool.length);
    const votes = new Map<string, number>();
    for (const p of pool.slice(0, k)) for (const l of new Set(this.summary(p.doc).labels)) votes.set(l, (votes.get(l) ?? 0) + 1);
    const cands = pool.map((p, rank) => {
      const d = this.summary(p.doc);
      let vote: Why['vote'] = null;
      for (const l of d.labels) {
        // a candidate among the k nearest does not vote for itself
        const n = (votes.get(l) ?? 0) - (rank < k ? 1 : 0);
        if (vote === null || n > vote.of) vote = { label: l, of: n, k };
      }
      const matched: Why['matchedFields'] = [];
      const same = ATTRS.map((a) => {
        const qa = q.attrs[a] ?? [];
        const da = new Set(d.attrs[a] ?? []);
        const both = qa.filter((v) => da.has(v));
        if (both.length > 0) matched.push({ field: a, values: both });
        return both.length > 0 ? 1 : 0;
      });
      const features = [p.score / max, vote === null || k <= 1 ? 0 : vote.of / (k - (rank < k ? 1 : 0)), ...same];
      return { doc: p.doc, bm25: p.score, features, vote, matched };
    });
    return { terms, cands };
  }

  score(features: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < features.length; i++) s += (this.model.weights[i] ?? 0) * (features[i] as number);
    return s;
  }

  /** The `k` most similar incidents to `q`, best first, each with why. */
  search(q: Incident, k = 10): SimilarResult[] {
    const { terms, cands } = this.candidates(q);
    const ranked = cands.map((c) => ({ c, s: this.score(c.features) })).sort((a, b) => b.s - a.s || b.c.bm25 - a.c.bm25 || a.c.doc - b.c.doc);
    return ranked.slice(0, k).map(({ c, s }) => {
      const contributions: Why['contributions'] = {};
      FEATURES.forEach((f, i) => {
        const v = (this.model.weights[i] ?? 0) * (c.features[i] as number);
        if (v !== 0) contributions[f] = Math.round(v * 1000) / 1000;
      });
      return {
        incident: this.incident(c.doc),
        score: s,
        bm25: c.bm25,
        why: { sharedTerms: this.bm25.sharedTerms(terms, c.doc).slice(0, 10), matchedFields: c.matched, vote: c.vote !== null && c.vote.of > 0 ? c.vote : null, contributions },
      };
    });
  }

  /** Ranked documents only (the evaluation's view). */
  rank(q: Incident, k: number): number[] {
    const { cands } = this.candidates(q);
    return cands
      .map((c) => ({ d: c.doc, s: this.score(c.features), b: c.bm25 }))
      .sort((a, b) => b.s - a.s || b.b - a.b || a.d - b.d)
      .slice(0, k)
      .map((x) => x.d);
  }
}
